package io.understudy.sidecar.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BodyBudgetTest {

    @Test
    void bodiesBeyondTheBudgetAreRefusedBeforeTheyAreRead() {
        BodyBudget budget = new BodyBudget(100);

        assertTrue(budget.tryReserve(64));
        assertFalse(budget.tryReserve(64), "a second 64-byte body does not fit in 100");
        assertTrue(budget.tryReserve(36));

        budget.release(64);

        assertTrue(budget.tryReserve(64));
        assertEquals(100, budget.reserved());
    }

    @Test
    void theBudgetFromTheHeapAlwaysHoldsOneLargestBody() {
        long maxBody = 64L << 20;

        BodyBudget budget = BodyBudget.forHeap(32L << 20, maxBody);

        assertTrue(budget.tryReserve(maxBody));
        assertEquals(8L << 20, BodyBudget.forHeap(32L << 20, 1024).capacity(), "a quarter of a 32 MiB heap");
    }
}
