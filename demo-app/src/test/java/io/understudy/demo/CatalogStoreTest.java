package io.understudy.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CatalogStoreTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final CatalogStore store = new CatalogStore();

    private static Delivered entry(long index, String key, int value) {
        return new Delivered(index, 1, key, IntNode.valueOf(value));
    }

    @Test
    void appliesConsecutiveEntriesInOrder() {
        ApplyResult result = store.apply(0, List.of(entry(1, "a", 1), entry(2, "b", 2), entry(3, "a", 3)));

        assertEquals(ApplyResult.Outcome.APPLIED, result.outcome());
        assertEquals(3, result.appliedIndex());
        assertEquals(3, result.applied());
        assertEquals(IntNode.valueOf(3), store.get("a").orElseThrow());
        assertEquals(List.of("a", "b"), List.copyOf(store.items().keySet()));
        assertEquals(3, store.appliedIndex(0));
    }

    @Test
    void skipsRepeatsOfAlreadyAppliedIndexes() {
        store.apply(0, List.of(entry(1, "a", 1), entry(2, "a", 2)));

        ApplyResult result = store.apply(0, List.of(entry(1, "a", 100), entry(2, "a", 200), entry(3, "b", 3)));

        assertEquals(ApplyResult.Outcome.APPLIED, result.outcome());
        assertEquals(3, result.appliedIndex());
        assertEquals(1, result.applied());
        assertEquals(IntNode.valueOf(2), store.get("a").orElseThrow(), "a repeat must not overwrite");
    }

    @Test
    void gapAppliesNothingFromTheGapOnAndNamesTheExpectedIndex() {
        store.apply(0, List.of(entry(1, "a", 1)));

        ApplyResult result = store.apply(0, List.of(entry(2, "b", 2), entry(4, "c", 4), entry(5, "d", 5)));

        assertEquals(ApplyResult.Outcome.GAP, result.outcome());
        assertEquals(2, result.appliedIndex());
        assertEquals(3, result.expectedIndex());
        assertEquals(4, result.gapIndex());
        assertTrue(store.get("b").isPresent());
        assertFalse(store.get("c").isPresent());
        assertFalse(store.get("d").isPresent());
    }

    @Test
    void freshStoreReportsGapForDeliveryThatDoesNotStartAtOne() {
        ApplyResult result = store.apply(0, List.of(entry(7, "a", 7)));

        assertEquals(ApplyResult.Outcome.GAP, result.outcome());
        assertEquals(0, result.appliedIndex());
        assertEquals(1, result.expectedIndex());
    }

    @Test
    void partitionsKeepTheirOwnAppliedIndex() {
        store.apply(0, List.of(entry(1, "a", 1), entry(2, "b", 2)));
        store.apply(3, List.of(entry(1, "c", 1)));

        assertEquals(2, store.appliedIndex(0));
        assertEquals(1, store.appliedIndex(3));
        assertEquals(0, store.appliedIndex(1));
        assertEquals(List.of(0, 3), List.copyOf(store.positions().keySet()));
    }

    @Test
    void entryWithoutKeyAdvancesTheIndexOnly() {
        ApplyResult result = store.apply(0, List.of(new Delivered(1, 1, null, TextNode.valueOf("x"))));

        assertEquals(1, result.appliedIndex());
        assertEquals(0, store.size());
    }

    @Test
    void waiterForAppliedIndexCompletesAtOnce() {
        store.apply(0, List.of(entry(1, "a", 1)));

        assertTrue(store.awaitApplied(0, 1, WAIT).isDone());
        assertTrue(store.awaitApplied(0, 0, WAIT).isDone());
        assertEquals(0, store.waiting());
    }

    @Test
    void waiterCompletesWhenItsIndexIsApplied() throws Exception {
        CompletableFuture<Long> waitFor2 = store.awaitApplied(0, 2, WAIT);
        CompletableFuture<Long> waitFor3 = store.awaitApplied(0, 3, WAIT);
        CompletableFuture<Long> otherPartition = store.awaitApplied(1, 1, WAIT);

        store.apply(0, List.of(entry(1, "a", 1)));
        assertFalse(waitFor2.isDone());

        store.apply(0, List.of(entry(2, "a", 2)));
        assertEquals(2L, waitFor2.get(1, TimeUnit.SECONDS));
        assertFalse(waitFor3.isDone());
        assertFalse(otherPartition.isDone());
        assertEquals(2, store.waiting());
    }

    @Test
    void timedOutWaiterFailsAndIsForgotten() {
        CompletableFuture<Long> waiter = store.awaitApplied(0, 5, Duration.ofMillis(50));

        ExecutionException failure = assertThrows(ExecutionException.class, () -> waiter.get(5, TimeUnit.SECONDS));
        assertTrue(failure.getCause() instanceof TimeoutException);
        assertEquals(0, store.waiting());
    }

    @Test
    void aTimedOutReaderIsForgottenBeforeItHearsOfTheTimeOut() throws Exception {
        CompletableFuture<Integer> waitingWhenTold =
                store.awaitApplied(0, 5, Duration.ofMillis(50)).handle((applied, error) -> store.waiting());

        assertEquals(0, waitingWhenTold.get(5, TimeUnit.SECONDS), "the reader still counted when its 504 was sent");
    }
}
