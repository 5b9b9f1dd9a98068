package io.understudy.sidecar.api.local;

import io.understudy.sidecar.BuildInfo;
import io.understudy.sidecar.api.Responses;
import io.understudy.sidecar.backup.BackupManifest;
import io.understudy.sidecar.backup.BackupOffer;
import io.understudy.sidecar.replication.PartitionReplica;
import io.understudy.sidecar.replication.ReplicaSet;
import io.understudy.sidecar.snapshot.SnapshotInfo;
import io.understudy.sidecar.snapshot.SnapshotStore;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v1/backup}: what this member can back up now ({@link BackupOffer}): per partition its commit index,
 * log base and end, and latest stored snapshot. The {@code backup} command then fetches the snapshot and the
 * committed records with {@link BackupSnapshotHandler} and {@link BackupRecordsHandler}. Blocks (it lists the snapshot
 * directories): runs {@link io.understudy.sidecar.api.OnWorker}.
 */
public final class BackupOfferHandler implements HttpHandler {
    private final String group;
    private final String member;
    private final BuildInfo build;
    private final ReplicaSet replicas;
    private final SnapshotStore snapshots;
    private final Responses responses;

    public BackupOfferHandler(
            String group,
            String member,
            BuildInfo build,
            ReplicaSet replicas,
            SnapshotStore snapshots,
            Responses responses) {
        this.group = group;
        this.member = member;
        this.build = build;
        this.replicas = replicas;
        this.snapshots = snapshots;
        this.responses = responses;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws IOException {
        List<BackupOffer.PartitionOffer> partitions = new ArrayList<>();
        for (int p = 0; p < replicas.partitions(); p++) {
            PartitionReplica replica = replicas.replica(p);
            long commit = replica.commitIndex(); // first: the log end read after it is at least as far
            Optional<SnapshotInfo> snapshot = snapshots.latest(p);
            partitions.add(new BackupOffer.PartitionOffer(
                    p,
                    replica.status().role().name(),
                    commit,
                    replica.log().base().index(),
                    replica.log().logEnd(),
                    snapshot.map(BackupOfferHandler::file).orElse(null)));
        }
        responses.send(exchange, 200, new BackupOffer(group, member, build.version(), partitions));
    }

    private static BackupManifest.SnapshotFile file(SnapshotInfo s) {
        return new BackupManifest.SnapshotFile(s.index(), s.position().epoch(), null, s.sizeBytes(), s.crc32c());
    }
}
