package io.understudy.sidecar.replication;

import java.time.Duration;

/**
 * Monotonic time, for everything that measures how long something took or has lasted (replica lag, grace
 * periods, hand-over deadlines, back-offs). Unlike a {@link java.time.Clock} it never jumps when the wall clock
 * is set, so an NTP step or an operator's {@code date -s} can neither empty the ISR nor cut a grace period short.
 * Wall time stays with {@code Clock}, for timestamps people read.
 */
public interface Ticker {

    /** Nanoseconds from an arbitrary origin; only differences between two readings mean anything. */
    long nanos();

    /** Whether {@code duration} has passed since {@code startNanos}, a reading of this ticker. */
    default boolean elapsed(long startNanos, Duration duration) {
        return nanos() - startNanos >= duration.toNanos();
    }

    /** How long it has been since {@code startNanos}, a reading of this ticker. */
    default Duration since(long startNanos) {
        return Duration.ofNanos(nanos() - startNanos);
    }

    /** The JVM's monotonic clock ({@link System#nanoTime()}). */
    static Ticker system() {
        return System::nanoTime;
    }
}
