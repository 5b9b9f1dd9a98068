package io.understudy.sidecar.api.local;

import io.understudy.sidecar.api.ErrorCode;
import io.understudy.sidecar.api.Params;
import io.understudy.sidecar.api.StatusException;
import io.understudy.sidecar.replication.ReplicaSet;
import io.understudy.sidecar.snapshot.SnapshotInfo;
import io.understudy.sidecar.snapshot.SnapshotStore;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * {@code GET /v1/backup/snapshot?partition=P&index=I}: the bytes of P's latest stored snapshot, which must be the
 * one at index I ({@code BACKUP_SOURCE_MOVED} when a newer one replaced it: take the backup again). The
 * {@code backup} command checks size and CRC-32C against what {@code GET /v1/backup} advertised. Blocks: runs
 * {@link io.understudy.sidecar.api.OnWorker}.
 */
public final class BackupSnapshotHandler implements HttpHandler {
    private final ReplicaSet replicas;
    private final SnapshotStore snapshots;

    public BackupSnapshotHandler(ReplicaSet replicas, SnapshotStore snapshots) {
        this.replicas = replicas;
        this.snapshots = snapshots;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws IOException {
        int partition = Params.requiredInt(exchange, "partition", 0);
        long index = Params.requiredLong(exchange, "index", 1);
        replicas.replica(partition);
        Optional<SnapshotInfo> latest = snapshots.latest(partition);
        if (latest.isEmpty() || latest.get().index() != index) {
            throw new StatusException(
                    ErrorCode.BACKUP_SOURCE_MOVED,
                    "partition " + partition + " holds no snapshot at index " + index
                            + latest.map(s -> " (its latest is at " + s.index() + ")")
                                    .orElse("") + ": take the backup again");
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/octet-stream");
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, latest.get().sizeBytes());
        exchange.startBlocking();
        try (InputStream in = snapshots.open(latest.get());
                OutputStream out = exchange.getOutputStream()) {
            in.transferTo(out);
        }
    }
}
