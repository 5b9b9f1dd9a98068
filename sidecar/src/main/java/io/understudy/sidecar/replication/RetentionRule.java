package io.understudy.sidecar.replication;

import io.understudy.sidecar.log.PartitionLog;
import java.util.OptionalLong;

/**
 * Where to trim a log: the index to pass to {@link PartitionLog#trimBefore}, never above {@code safeIndex + 1}, or
 * empty when nothing should go. The log's retention settings decide ({@code LogRetention::trimIndex} of the log
 * package); {@link #UP_TO_SAFE} trims everything that is safe.
 */
@FunctionalInterface
public interface RetentionRule {
    OptionalLong trimIndex(PartitionLog log, long safeIndex);

    /** Trims everything below {@code safeIndex + 1} (the log still holds whole segments only). */
    RetentionRule UP_TO_SAFE =
            (log, safeIndex) -> safeIndex > log.base().index() ? OptionalLong.of(safeIndex + 1) : OptionalLong.empty();

    /** Never trims. */
    RetentionRule NEVER = (log, safeIndex) -> OptionalLong.empty();
}
