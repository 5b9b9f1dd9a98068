package io.understudy.sidecar.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AppliedWaitersTest {
    @Test
    void waitersCompleteOnceTheirIndexIsApplied() {
        AppliedWaiters waiters = new AppliedWaiters(3);
        CompletableFuture<Long> already = waiters.await(2);
        CompletableFuture<Long> later = waiters.await(5);

        waiters.advance(4);
        boolean doneAt4 = later.isDone();
        waiters.advance(6);

        assertEquals(3L, already.join());
        assertFalse(doneAt4);
        assertTrue(later.isDone());
        assertEquals(6L, later.join());
    }

    @Test
    void aWaiterThatTimesOutDoesNotLinger() {
        AppliedWaiters waiters = new AppliedWaiters(0);
        CompletableFuture<Long> waiting = waiters.await(10).orTimeout(10, TimeUnit.MILLISECONDS);

        assertTrue(waiting.handle((v, e) -> e != null).join());
        waiters.advance(10);
        assertTrue(waiting.isCompletedExceptionally());
    }

    @Test
    void aLoweredAppliedIndexHoldsReadersBackUntilTheAppHoldsTheirIndexAgain() {
        AppliedWaiters waiters = new AppliedWaiters(25);

        waiters.advance(0); // the app restarted empty
        CompletableFuture<Long> reader = waiters.await(25);
        boolean doneAt0 = reader.isDone();
        waiters.advance(24);
        boolean doneAt24 = reader.isDone();
        waiters.advance(25);

        assertFalse(doneAt0, "index 25 is not held any more");
        assertFalse(doneAt24);
        assertEquals(25L, reader.join());
    }
}
