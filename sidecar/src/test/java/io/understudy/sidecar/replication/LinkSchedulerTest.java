package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The per-follower link scheduler on a fake ticker and a hand-run timer: no sockets, no waiting. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LinkSchedulerTest {
    private static final Duration GRACE = Duration.ofMillis(20);
    private static final Duration MAX_WAIT = Duration.ofSeconds(2);

    private long now = 1_000_000_000L;
    private final List<Runnable> timers = new ArrayList<>();
    private final LinkScheduler link =
            new LinkScheduler("node-2", 100_000, GRACE, MAX_WAIT, () -> now, (delay, task) -> timers.add(task));

    private void runTimers() {
        List<Runnable> due = new ArrayList<>(timers);
        timers.clear();
        due.forEach(Runnable::run);
    }

    @Test
    void requestsWithinTheWindowGoAtOnce() {
        var a = link.acquire(false, 40_000);
        var b = link.acquire(false, 40_000);

        assertTrue(a.isDone() && b.isDone());
        assertFalse(link.acquire(false, 40_000).isDone(), "120,000 bytes would exceed the 100,000-byte window");
    }

    @Test
    void aRequestLargerThanTheWindowGoesWhenTheLinkIsIdle() {
        assertTrue(link.acquire(false, 500_000).isDone());
    }

    @Test
    void aHighPriorityRequestOvertakesNormalOnesQueuedBeforeIt() {
        var first = link.acquire(false, 90_000).join();
        var normal = link.acquire(false, 60_000);
        var high = link.acquire(true, 50_000);

        link.release(first);

        assertTrue(high.isDone(), "the high-priority request goes first");
        assertFalse(normal.isDone());
        link.release(high.join());
        now += GRACE.toNanos();
        runTimers();
        assertTrue(normal.isDone());
    }

    @Test
    void afterAHighPriorityRequestNormalOnesWaitTheGraceForItsNextBatch() {
        var high = link.acquire(true, 90_000).join();
        var normal = link.acquire(false, 50_000);

        link.release(high);
        assertFalse(normal.isDone(), "the high-priority sender gets a moment to send its next batch");
        var nextHigh = link.acquire(true, 50_000);
        assertTrue(nextHigh.isDone());
        assertFalse(normal.isDone());

        link.release(nextHigh.join());
        now += GRACE.toNanos();
        runTimers();
        assertTrue(normal.isDone(), "no high-priority batch came within the grace: the normal one goes");
    }

    @Test
    void aRequestWaitingLongerThanItsSenderWaitsIsDroppedNotSent() {
        var first = link.acquire(false, 90_000).join();
        var stale = link.acquire(false, 50_000);

        now += MAX_WAIT.toNanos() + 1;
        link.release(first);

        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, stale::join);
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertEquals(0, link.bytesInFlight());
    }

    @Test
    void releasingFreesTheWindow() {
        CompletableFuture<LinkScheduler.Permit> a = link.acquire(false, 60_000);
        var b = link.acquire(false, 60_000);
        assertFalse(b.isDone());

        link.release(a.join());

        assertTrue(b.isDone());
        assertEquals(60_000, link.bytesInFlight());
    }
}
