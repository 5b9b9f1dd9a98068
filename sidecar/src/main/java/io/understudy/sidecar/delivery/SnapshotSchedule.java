package io.understudy.sidecar.delivery;

import io.understudy.sidecar.log.PartitionLog;

/**
 * When a partition's app is asked for a snapshot: after every {@code intervalEntries} applied entries (config
 * {@code snapshot.intervalEntries}), or sooner when the log holds more than {@code retainBytes} (config {@code
 * log.retainBytes}) and the entries applied since the last snapshot fill at least a segment ({@code
 * log.segmentBytes}): then a new snapshot lets retention delete at least one more segment, so a log configured to
 * stay small does, whatever the interval.
 */
public record SnapshotSchedule(long intervalEntries, long retainBytes, long segmentBytes) {
    public SnapshotSchedule {
        if (intervalEntries < 1) throw new IllegalArgumentException("intervalEntries " + intervalEntries);
        if (retainBytes < 0) throw new IllegalArgumentException("retainBytes " + retainBytes);
        if (segmentBytes < 1) throw new IllegalArgumentException("segmentBytes " + segmentBytes);
    }

    /** Every {@code intervalEntries} applied entries only. */
    public static SnapshotSchedule every(long intervalEntries) {
        return new SnapshotSchedule(intervalEntries, Long.MAX_VALUE, Long.MAX_VALUE);
    }

    /** Whether a snapshot is due, {@code appliedSince} entries after the last one, with the log as it is now. */
    boolean due(long appliedSince, PartitionLog log) {
        if (appliedSince >= intervalEntries) return true;
        if (appliedSince < 1) return false;
        long bytes = log.sizeBytes();
        long held = log.logEnd() - log.base().index();
        if (bytes <= retainBytes || held < 1) return false;
        double bytesPerEntry = (double) bytes / held;
        return appliedSince * bytesPerEntry >= segmentBytes;
    }
}
