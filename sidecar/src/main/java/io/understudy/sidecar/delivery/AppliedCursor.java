package io.understudy.sidecar.delivery;

import io.understudy.sidecar.log.DurableLong;
import java.io.IOException;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The applied index a partition's delivery has reached, and its copy on disk: where delivery starts again after a
 * restart. Going up it is written at most once per interval (each write is two fsyncs, which every delivered batch
 * paid before); going down (the app holds less than before) at once; and on {@link #writeNow} when delivery stops.
 *
 * <p>A restart may therefore start from an older index than the app holds. That is safe because the app is the
 * authority on what it holds (docs/design.md, section 7): delivery asks the app's position before its first
 * delivery and adopts it, and an app that does not answer it is delivered again from the older index and skips what
 * it holds by index, as the delivery contract requires. Never is the disk's copy above what the app confirmed.
 * Confined to the delivery thread.
 */
final class AppliedCursor {
    private final DurableLong onDisk;
    private final long intervalNanos;
    private final LongSupplier nanos;
    private long applied;
    private long lastWriteNanos;
    private boolean everWritten;

    AppliedCursor(DurableLong onDisk, Duration interval, LongSupplier nanos) {
        this.onDisk = onDisk;
        this.intervalNanos = interval.toNanos();
        this.nanos = nanos;
        this.applied = onDisk.get();
    }

    long applied() {
        return applied;
    }

    /** The app now holds {@code index}. */
    void record(long index) throws IOException {
        long before = applied;
        applied = index;
        if (index < onDisk.get() || (index > before && due())) write();
    }

    /** Writes the index if it moved since the last write and the interval has passed (an idle loop calls this). */
    void writeIfDue() throws IOException {
        if (applied != onDisk.get() && due()) write();
    }

    /** Writes the index if it moved since the last write (when delivery stops). */
    void writeNow() throws IOException {
        if (applied != onDisk.get()) write();
    }

    private boolean due() {
        return !everWritten || nanos.getAsLong() - lastWriteNanos >= intervalNanos;
    }

    private void write() throws IOException {
        onDisk.set(applied);
        lastWriteNanos = nanos.getAsLong();
        everWritten = true;
    }
}
