package io.understudy.sidecar.log;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What a {@link SegmentedLog} has written but not forced, and when the {@link FsyncPolicy} says to force it: the
 * segments written since the last force, whether a new segment's directory entry is unforced, and when the last force
 * happened, on a monotonic clock (a wall-clock step back must not postpone an interval fsync). Used by the log's writer thread only, except {@link #forceCount()}.
 */
final class SyncSchedule {
    private final FsyncPolicy policy;
    private final Duration interval;
    private final LongSupplier nanoTime;
    private final Path dir;
    private final ChannelForce force;
    private final List<Segment> unforced = new ArrayList<>();
    private boolean dirUnforced;
    private long appendedSinceForce;
    private long lastForceNanos;
    private volatile long forceCount;

    SyncSchedule(FsyncPolicy policy, Duration interval, LongSupplier nanoTime, Path dir, ChannelForce force) {
        this.policy = policy;
        this.interval = interval;
        this.nanoTime = nanoTime;
        this.dir = dir;
        this.force = force;
        this.lastForceNanos = nanoTime.getAsLong();
    }

    void appended(Segment seg, int entries) {
        appendedSinceForce += entries;
        if (!unforced.contains(seg)) unforced.add(seg);
    }

    void created(Segment seg) {
        dirUnforced = true;
        if (!unforced.contains(seg)) unforced.add(seg);
    }

    void deleted(Segment seg) {
        unforced.remove(seg);
    }

    /** Forces one segment's data now (truncation). */
    void force(Segment seg) throws IOException {
        force.force(seg.channel(), false);
        forceCount++;
    }

    /** Forces now if the policy says so; free when nothing was written since the last force. */
    void sync() throws IOException {
        if (appendedSinceForce == 0 && !dirUnforced) return;
        boolean due = switch (policy) {
            case ALWAYS -> true;
            case INTERVAL -> nanoTime.getAsLong() - lastForceNanos >= interval.toNanos();
            case NEVER -> false;
        };
        if (due) forceAll();
    }

    /** Forces everything unforced whatever the policy (close). */
    void forceAll() throws IOException {
        for (Segment seg : unforced) force(seg);
        unforced.clear();
        if (dirUnforced) {
            AtomicFiles.forceDirectory(dir);
            dirUnforced = false;
        }
        appendedSinceForce = 0;
        lastForceNanos = nanoTime.getAsLong();
    }

    long forceCount() {
        return forceCount;
    }

    FsyncPolicy policy() {
        return policy;
    }
}
