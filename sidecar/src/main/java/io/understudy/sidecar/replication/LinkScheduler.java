package io.understudy.sidecar.replication;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * The link from this member to one follower, shared by the senders of every partition this member leads: at most
 * {@code windowBytes} of append bodies in flight on it at once (one larger request may go alone), and when the
 * window is full the waiting requests of high-priority partitions go before those of normal ones.
 *
 * <p>A sender has one batch in flight and needs a moment between two (read the log, encode), so after a
 * high-priority request completes, normal ones wait up to {@code grace} for that sender's next batch: without that
 * pause the link would alternate between the two classes instead of favouring one. A request that has waited longer
 * than its sender waits for an answer ({@code maxWait}) fails with a {@link TimeoutException} rather than use the
 * link for a batch nobody waits for any more.
 *
 * <p>Thread-safe; futures are completed outside the lock.
 */
final class LinkScheduler {
    /** Leave to {@link #release} once the request has its answer or has failed. */
    record Permit(long bytes, boolean high) {}

    private record Waiting(CompletableFuture<Permit> granted, Permit permit, long sinceNanos) {}

    private final String follower;
    private final long windowBytes;
    private final Duration grace;
    private final Duration maxWait;
    private final Ticker ticker;
    private final BiConsumer<Duration, Runnable> timer;
    private final ArrayDeque<Waiting> high = new ArrayDeque<>();
    private final ArrayDeque<Waiting> normal = new ArrayDeque<>();
    private long inFlight;
    private long graceUntilNanos;
    private boolean graceActive;

    /** @param timer runs a task after a delay (the grace's end); a test runs it by hand */
    LinkScheduler(
            String follower,
            long windowBytes,
            Duration grace,
            Duration maxWait,
            Ticker ticker,
            BiConsumer<Duration, Runnable> timer) {
        this.follower = follower;
        this.windowBytes = windowBytes;
        this.grace = grace;
        this.maxWait = maxWait;
        this.ticker = ticker;
        this.timer = timer;
    }

    /** Completes when a request of {@code bytes} may go to the follower. */
    CompletableFuture<Permit> acquire(boolean highPriority, long bytes) {
        Waiting waiting = new Waiting(new CompletableFuture<>(), new Permit(bytes, highPriority), ticker.nanos());
        synchronized (this) {
            (highPriority ? high : normal).add(waiting);
        }
        dispatch();
        return waiting.granted();
    }

    void release(Permit permit) {
        boolean startGrace;
        synchronized (this) {
            inFlight -= permit.bytes();
            startGrace = permit.high();
            if (startGrace) {
                graceActive = true;
                graceUntilNanos = ticker.nanos() + grace.toNanos();
            }
        }
        if (startGrace) timer.accept(grace, this::dispatch);
        dispatch();
    }

    synchronized long bytesInFlight() {
        return inFlight;
    }

    String follower() {
        return follower;
    }

    private void dispatch() {
        List<Waiting> grant = new ArrayList<>();
        List<Waiting> expired = new ArrayList<>();
        synchronized (this) {
            long now = ticker.nanos();
            if (graceActive && now - graceUntilNanos >= 0) graceActive = false;
            take(high, now, grant, expired);
            if (high.isEmpty() && !graceActive) take(normal, now, grant, expired);
        }
        for (Waiting w : expired) {
            w.granted()
                    .completeExceptionally(new TimeoutException("waited over " + maxWait.toMillis()
                            + " ms for room on the link to " + follower + "; the sender has given up on it"));
        }
        for (Waiting w : grant) w.granted().complete(w.permit());
    }

    /** Moves what fits in the window from the head of {@code queue} to {@code grant}, in order; caller holds the lock. */
    private void take(ArrayDeque<Waiting> queue, long now, List<Waiting> grant, List<Waiting> expired) {
        while (!queue.isEmpty()) {
            Waiting head = queue.peek();
            if (now - head.sinceNanos() > maxWait.toNanos()) {
                expired.add(queue.poll());
                continue;
            }
            long bytes = head.permit().bytes();
            if (inFlight > 0 && inFlight + bytes > windowBytes) return;
            inFlight += bytes;
            grant.add(queue.poll());
        }
    }
}
