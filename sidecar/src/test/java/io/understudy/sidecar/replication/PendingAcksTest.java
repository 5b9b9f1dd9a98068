package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PendingAcksTest {

    @Test
    void aRetryOfAnEarlierIndexCompletesAsSoonAsThatIndexCommits() {
        PendingAcks pending = new PendingAcks();
        CompletableFuture<Ack> five = new CompletableFuture<>();
        CompletableFuture<Ack> ten = new CompletableFuture<>();
        CompletableFuture<Ack> retryOfThree = new CompletableFuture<>();
        pending.add(new Ack(0, 1, 5, "a"), five);
        pending.add(new Ack(0, 1, 10, "a"), ten);
        pending.add(new Ack(0, 1, 3, "a"), retryOfThree);

        pending.completeThrough(4);

        assertTrue(retryOfThree.isDone(), "index 3 is committed");
        assertFalse(five.isDone());
        pending.completeThrough(7);
        assertTrue(five.isDone());
        assertFalse(ten.isDone());
    }
}
