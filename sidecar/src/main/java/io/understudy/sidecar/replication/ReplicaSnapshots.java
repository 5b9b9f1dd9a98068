package io.understudy.sidecar.replication;

import io.understudy.sidecar.log.Position;
import io.understudy.sidecar.snapshot.SnapshotInfo;
import io.understudy.sidecar.snapshot.SnapshotStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * What a replica needs to keep its log bounded and to catch up through a snapshot (docs/design.md, "Snapshots and a
 * bounded log").
 *
 * @param store this member's snapshots
 * @param appServesNoSnapshots true once the app said it does not serve snapshots: the log is then trimmed only below
 *     what every member applied
 * @param retention how much of what is safe to trim goes
 * @param fetching where a snapshot is fetched from the leader (never the partition loop)
 */
public record ReplicaSnapshots(
        SnapshotStore store, BooleanSupplier appServesNoSnapshots, RetentionRule retention, Executor fetching) {

    /** No snapshots, no trimming. */
    public static ReplicaSnapshots none() {
        return new ReplicaSnapshots(new NoSnapshots(), () -> false, RetentionRule.NEVER, Runnable::run);
    }

    private static final class NoSnapshots implements SnapshotStore {
        @Override
        public Optional<SnapshotInfo> latest(int partition) {
            return Optional.empty();
        }

        @Override
        public InputStream open(SnapshotInfo snapshot) throws IOException {
            throw new IOException("this member keeps no snapshots");
        }

        @Override
        public SnapshotInfo save(int partition, Position position, InputStream bytes) throws IOException {
            throw new IOException("this member keeps no snapshots");
        }
    }
}
