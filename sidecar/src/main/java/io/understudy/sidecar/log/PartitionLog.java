package io.understudy.sidecar.log;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * The durable, append-only log of one partition on this member's disk.
 *
 * <p>Writes ({@link #append}, {@link #sync}, {@link #truncateAfter}) come from one thread at a time (the
 * partition's replication loop); reads ({@link #read}, {@link #epochAt}, {@link #lastPosition}) may come from
 * any thread concurrently with writes and see only whole entries.
 */
public interface PartitionLog extends Closeable {

    /** What {@link #epochAt} answers for an index at or below {@link #base()} other than the base itself. */
    long TRIMMED = -2;

    /** Highest index in the log, 0 when empty. */
    long logEnd();

    /** Epoch and index of the last entry, {@link Position#ZERO} when empty. */
    Position lastPosition();

    /**
     * Epoch of the entry at {@code index}: 0 for index 0, -1 when the log does not hold that index
     * (beyond the log end), {@link #TRIMMED} below {@link #base()} (no longer held; a snapshot covers it).
     */
    long epochAt(long index);

    /**
     * The position just before the first entry this log holds: {@link Position#ZERO} for a log that starts at index
     * 1; after {@link #trimBefore} or {@link #resetTo}, the last entry no longer held. {@code epochAt(base().index())}
     * answers {@code base().epoch()}. An empty log continues at {@code base().index() + 1}.
     */
    default Position base() {
        return Position.ZERO;
    }

    /**
     * Deletes the whole segments whose every entry is below {@code index} (never the entry at {@code index} or a
     * later one; entries below it that share a segment with it stay). Durable when it returns. Returns the new
     * {@link #base()}. The caller decides what may go: only what a snapshot covers or every member has applied.
     */
    default Position trimBefore(long index) throws IOException {
        throw new UnsupportedOperationException("trimBefore");
    }

    /**
     * Drops every entry and continues after {@code base} (the position a snapshot covers): afterwards {@link
     * #base()} and {@link #lastPosition()} are {@code base} and the next append is at {@code base.index() + 1}.
     * Durable when it returns (a crash leaves either the old log or the reset one).
     */
    default void resetTo(Position base) throws IOException {
        throw new UnsupportedOperationException("resetTo");
    }

    /**
     * The segments of this log, oldest first (what retention looks at, see {@link LogRetention}); empty for a log
     * not kept in segments, which retention then leaves alone.
     */
    default List<SegmentSummary> segments() {
        return List.of();
    }

    /**
     * One segment of a log.
     *
     * @param baseIndex its first index
     * @param lastIndex its last index ({@code baseIndex - 1} when empty)
     * @param sizeBytes its bytes
     * @param maxTimestamp its newest entry's timestamp (milliseconds; {@code Long.MIN_VALUE} when empty)
     */
    record SegmentSummary(long baseIndex, long lastIndex, long sizeBytes, long maxTimestamp) {}

    /** Bytes of every segment file of this log (what retention counts). */
    default long sizeBytes() {
        throw new UnsupportedOperationException("sizeBytes");
    }

    /**
     * Writes entries after the current end. Their indexes must continue the log densely (the first is
     * {@code logEnd() + 1}) and their epochs must not decrease. Not durable until {@link #sync()}.
     *
     * @throws IllegalArgumentException when the entries do not continue the log
     */
    void append(List<Entry> entries) throws IOException;

    /**
     * Makes everything appended so far durable as the fsync policy says: {@code always} forces to disk now
     * (one force covers every entry appended since the last one: group commit), {@code interval} forces when
     * the interval has passed since the last force, {@code never} leaves it to the operating system.
     */
    void sync() throws IOException;

    /** Removes every entry with an index above {@code index} (all when 0). Durable when it returns. */
    void truncateAfter(long index) throws IOException;

    /**
     * Entries from {@code fromIndex} on, in order: at most {@code maxEntries}, and stopping before the total
     * payload passes {@code maxBytes} (at least one entry is returned when {@code fromIndex} is held).
     * Empty when {@code fromIndex > logEnd()}.
     */
    List<Entry> read(long fromIndex, int maxEntries, long maxBytes) throws IOException;

    /**
     * Records from {@code fromIndex} on as stored, neither decoded nor re-encoded (what a leader ships to its
     * followers): at most {@code maxEntries}, and stopping before the record bytes pass {@code maxBytes} (at least
     * one record when {@code fromIndex} is held). Empty when {@code fromIndex > logEnd()}.
     */
    RecordBatch readRecords(long fromIndex, int maxEntries, long maxBytes) throws IOException;
}
