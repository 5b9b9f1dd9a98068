package io.understudy.sidecar.replication;

import io.understudy.sidecar.coordination.MemberInfo;
import io.understudy.sidecar.log.PartitionLog;
import io.understudy.sidecar.log.Position;
import io.understudy.sidecar.snapshot.SnapshotInfo;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trims one partition's log below what is safe to forget (docs/design.md, "Snapshots and a bounded log"), on the
 * partition loop: below the newest snapshot this member stores; when its app serves no snapshots, below the lowest
 * index every member of the group has applied (as their heartbeats say; a member not alive counts as having applied
 * nothing, so the log keeps what it needs); otherwise not at all. Never above the commit index. The
 * {@link RetentionRule} decides how much of that goes.
 */
final class LogTrimmer {
    private static final Logger log = LoggerFactory.getLogger(LogTrimmer.class);

    private final String tag;
    private final int partition;
    private final PartitionLog partitionLog;
    private final ReplicaSnapshots snapshots;
    private boolean unsupported;

    LogTrimmer(String tag, int partition, PartitionLog partitionLog, ReplicaSnapshots snapshots) {
        this.tag = tag;
        this.partition = partition;
        this.partitionLog = partitionLog;
        this.snapshots = snapshots;
    }

    /**
     * Trims what the retention rule lets go of what is safe.
     *
     * @param members every member of the partition this member knows of (ISR, alive, seen since start)
     */
    void trim(long commitIndex, Set<String> members, Map<String, MemberInfo> live) {
        if (unsupported) return;
        try {
            OptionalLong safe = safeIndex(members, live);
            if (safe.isEmpty()) return;
            long bound = Math.min(safe.getAsLong(), commitIndex);
            OptionalLong before = snapshots.retention().trimIndex(partitionLog, bound);
            if (before.isEmpty() || before.getAsLong() > bound + 1) return;
            Position old = partitionLog.base();
            Position now = partitionLog.trimBefore(before.getAsLong());
            if (!now.equals(old))
                log.info("{} trimmed the log below {}: it now starts after {}", tag, before.getAsLong(), now);
        } catch (UnsupportedOperationException e) {
            unsupported = true;
            log.info("{} this log cannot be trimmed ({}): it keeps every entry", tag, e.getMessage());
        } catch (IOException | RuntimeException e) {
            log.warn("{} trimming the log failed: {}", tag, e.toString());
        }
    }

    /** The highest index below which (inclusive) the log may be trimmed, if any. */
    OptionalLong safeIndex(Set<String> members, Map<String, MemberInfo> live) throws IOException {
        Optional<SnapshotInfo> latest = snapshots.store().latest(partition);
        if (latest.isPresent()) return OptionalLong.of(latest.get().index());
        if (!snapshots.appServesNoSnapshots().getAsBoolean()) return OptionalLong.empty();
        return lowestApplied(partition, members, live);
    }

    /** The lowest applied index of {@code members}; empty when one of them is not alive or says nothing of it. */
    static OptionalLong lowestApplied(int partition, Set<String> members, Map<String, MemberInfo> live) {
        long lowest = Long.MAX_VALUE;
        for (String member : members) {
            MemberInfo info = live.get(member);
            MemberInfo.PartitionProgress progress =
                    info == null ? null : info.partitions().get(partition);
            if (progress == null) return OptionalLong.empty();
            lowest = Math.min(lowest, progress.applied());
        }
        return members.isEmpty() ? OptionalLong.empty() : OptionalLong.of(lowest);
    }
}
