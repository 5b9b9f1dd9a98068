package io.understudy.sidecar.log;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Decides how much of a partition's log may go: the oldest whole segments, while the log holds more than {@link
 * RetentionSettings#retainBytes()} or while the oldest segment's newest entry is older than {@link
 * RetentionSettings#retainMs()}, and never an entry at or above {@code safeIndex + 1} (what a snapshot covers or
 * every member has applied is the caller's to say). Pure logic: the caller passes the answer to {@link
 * PartitionLog#trimBefore} on the partition's thread. The active (last) segment never goes.
 */
public final class LogRetention {
    private final RetentionSettings settings;
    private final Clock clock;

    public LogRetention(RetentionSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The index to pass to {@link PartitionLog#trimBefore} (the first index of the oldest segment to keep), or
     * empty when nothing should go.
     */
    public OptionalLong trimIndex(PartitionLog log, long safeIndex) {
        List<PartitionLog.SegmentSummary> segments = log.segments();
        long limit = safeIndex + 1;
        long oldest = clock.millis() - settings.retainMs().toMillis();
        long remaining = 0;
        for (PartitionLog.SegmentSummary s : segments) remaining += s.sizeBytes();
        long trimTo = -1;
        for (int i = 0; i + 1 < segments.size(); i++) {
            PartitionLog.SegmentSummary seg = segments.get(i);
            long keepFrom = segments.get(i + 1).baseIndex();
            if (keepFrom > limit) break; // deleting seg would remove an entry at or above safeIndex + 1
            boolean tooBig = remaining > settings.retainBytes();
            boolean tooOld = seg.maxTimestamp() < oldest;
            if (!tooBig && !tooOld) break;
            remaining -= seg.sizeBytes();
            trimTo = keepFrom;
        }
        return trimTo < 0 ? OptionalLong.empty() : OptionalLong.of(trimTo);
    }
}
