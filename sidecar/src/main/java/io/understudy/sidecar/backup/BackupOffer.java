package io.understudy.sidecar.backup;

import io.understudy.sidecar.log.Position;
import java.util.List;

/**
 * What one member can back up now ({@code GET /v1/backup}): per partition its latest stored snapshot and the
 * committed part of its log. Any member serves it: a follower's committed prefix is as good as the leader's, only a
 * heartbeat behind it.
 */
public record BackupOffer(String group, String member, String sidecarVersion, List<PartitionOffer> partitions) {
    public BackupOffer {
        partitions = List.copyOf(partitions);
    }

    /**
     * One partition on that member: the index its log holds entries after ({@code logBaseIndex}, 0 unless trimmed),
     * its end, the commit index it knows, and its latest stored snapshot or null.
     */
    public record PartitionOffer(
            int partition,
            String role,
            long commitIndex,
            long logBaseIndex,
            long logEnd,
            BackupManifest.SnapshotFile snapshot) {

        /** The index a backup taken now covers: every committed entry this member holds. */
        public long coveredIndex() {
            long committed = Math.min(commitIndex, logEnd);
            return snapshot == null ? committed : Math.max(committed, snapshot.index());
        }

        /** The first index the log part of a backup holds: right after the snapshot, else 1. */
        public long logFromIndex() {
            return snapshot == null ? 1 : snapshot.index() + 1;
        }

        /** The snapshot's position, or {@link Position#ZERO}. */
        public Position snapshotPosition() {
            return snapshot == null ? Position.ZERO : snapshot.position();
        }
    }
}
