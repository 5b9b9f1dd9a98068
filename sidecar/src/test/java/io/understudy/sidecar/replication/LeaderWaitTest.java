package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A write refused while leadership moves is routed again until the new leader takes it, within the patience. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LeaderWaitTest {
    private static final Ack ACK = new Ack(0, 8, 42, "node-2");
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ManualTicker ticker = new ManualTicker();
    private final AtomicInteger attempts = new AtomicInteger();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private static CompletableFuture<Ack> refused() {
        return CompletableFuture.failedFuture(new NotLeaderException(0, "node-1", "leadership is being handed over"));
    }

    @Test
    void aWriteRefusedDuringAHandOverIsAnsweredByTheNextLeader() throws Exception {
        LeaderWait wait = new LeaderWait(timer, ticker, Duration.ofSeconds(5));

        Ack ack = wait.write(() -> attempts.incrementAndGet() < 4 ? refused() : CompletableFuture.completedFuture(ACK))
                .get();

        assertEquals(ACK, ack);
        assertEquals(4, attempts.get());
    }

    @Test
    void theLastRefusalReachesTheClientOnceThePatienceHasPassed() {
        LeaderWait wait = new LeaderWait(timer, ticker, Duration.ofSeconds(5));

        CompletableFuture<Ack> answer = wait.write(() -> {
            if (attempts.incrementAndGet() == 3) ticker.advance(Duration.ofSeconds(6));
            return refused();
        });

        ExecutionException e = assertThrows(ExecutionException.class, answer::get);
        assertInstanceOf(NotLeaderException.class, e.getCause());
        assertEquals(3, attempts.get());
    }

    @Test
    void aWriteWhoseOutcomeIsUnknownIsNeverSentAgain() {
        LeaderWait wait = new LeaderWait(timer, ticker, Duration.ofSeconds(5));

        CompletableFuture<Ack> answer = wait.write(() -> {
            attempts.incrementAndGet();
            return CompletableFuture.failedFuture(new LeadershipLostException(0, 7, "stepped down"));
        });

        ExecutionException e = assertThrows(ExecutionException.class, answer::get);
        assertInstanceOf(LeadershipLostException.class, e.getCause());
        assertEquals(1, attempts.get());
    }
}
