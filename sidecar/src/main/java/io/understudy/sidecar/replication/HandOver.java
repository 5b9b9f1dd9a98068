package io.understudy.sidecar.replication;

import io.understudy.sidecar.coordination.LeaderElection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A planned hand-over of the leadership: stop taking writes, give the ones in flight up to a grace period to
 * commit, then step down and leave the latch so that another member takes over without waiting for a session to
 * expire. Runs on the partition loop.
 */
final class HandOver {
    private static final long POLL_MILLIS = 10;

    private final LeaderElection election;
    private final Ticker ticker;
    private final ScheduledExecutorService timer;
    private final Executor loop;
    /** The current leadership, or null. */
    private final Supplier<LeaderSession> current;

    private final Consumer<String> stepDown;

    HandOver(
            LeaderElection election,
            Ticker ticker,
            ScheduledExecutorService timer,
            Executor loop,
            Supplier<LeaderSession> current,
            Consumer<String> stepDown) {
        this.election = election;
        this.ticker = ticker;
        this.timer = timer;
        this.loop = loop;
        this.current = current;
        this.stepDown = stepDown;
    }

    /** Drains the current leadership (up to {@code grace}), steps down and leaves the latch, then completes done. */
    void yieldLeadership(Duration grace, String reason, CompletableFuture<Void> done) {
        LeaderSession session = current.get();
        if (session == null) {
            election.leave();
            done.complete(null);
            return;
        }
        session.drain();
        awaitDrained(session, ticker.nanos(), grace, reason, done);
    }

    private void awaitDrained(
            LeaderSession draining, long sinceNanos, Duration grace, String reason, CompletableFuture<Void> done) {
        if (current.get() != draining) { // lost meanwhile for another reason
            done.complete(null);
            return;
        }
        if (draining.pendingWrites() > 0 && !ticker.elapsed(sinceNanos, grace)) {
            timer.schedule(
                    () -> loop.execute(() -> awaitDrained(draining, sinceNanos, grace, reason, done)),
                    POLL_MILLIS,
                    TimeUnit.MILLISECONDS);
            return;
        }
        stepDown.accept(reason);
        election.leave();
        done.complete(null);
    }
}
