package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CommitTrackerTest {
    @Test
    void commitIsTheLowestMatchAcrossTheIsr() {
        CommitTracker tracker = new CommitTracker("a", 0);
        tracker.leaderDurable(10);
        tracker.matched("b", 7);
        tracker.matched("c", 4);

        assertTrue(tracker.advance(List.of("a", "b", "c")));
        assertEquals(4, tracker.commitIndex());
        assertTrue(tracker.advance(List.of("a", "b")), "a smaller ISR commits further");
        assertEquals(7, tracker.commitIndex());
    }

    @Test
    void commitNeverMovesBackwardsAndMatchesNeverShrink() {
        CommitTracker tracker = new CommitTracker("a", 5);
        tracker.leaderDurable(10);
        tracker.matched("b", 8);
        tracker.matched("b", 3);

        assertEquals(8, tracker.match("b"));
        assertFalse(tracker.advance(List.of("a", "b", "new-member")), "a member with no match holds commit at 5");
        assertEquals(5, tracker.commitIndex());
    }

    @Test
    void syncWritesCompleteOnlyWhenCommittedAndFailWhenLeadershipIsLost() {
        PendingAcks pending = new PendingAcks();
        CompletableFuture<Ack> first = new CompletableFuture<>();
        CompletableFuture<Ack> second = new CompletableFuture<>();
        pending.add(new Ack(0, 1, 1, "a"), first);
        pending.add(new Ack(0, 1, 2, "a"), second);

        pending.completeThrough(1);
        pending.failAll(new LeadershipLostException(0, 1, "test"));

        assertEquals(1, first.join().index());
        assertTrue(second.isCompletedExceptionally());
        assertEquals(0, pending.size());
    }
}
