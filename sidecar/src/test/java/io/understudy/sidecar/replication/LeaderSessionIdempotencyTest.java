package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.understudy.sidecar.config.Durability;
import io.understudy.sidecar.coordination.IsrMember;
import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.coordination.Versioned;
import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.FsyncPolicy;
import io.understudy.sidecar.log.IdempotencyKey;
import io.understudy.sidecar.log.SegmentedLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader session with a real log, run on the test thread through a {@link LoopHost}, one follower that answers
 * only when the test says so (so a sync write stays pending until then), and no ZooKeeper: idempotent retries while pending, after commit, and after a new leader
 * took over the same log.
 */
@Timeout(30)
class LeaderSessionIdempotencyTest {
    private static final String ME = "node-1";
    private static final String FOLLOWER = "node-2";
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(NOW);
    private final LoopHost host = new LoopHost(LoopHost.member(ME, "dir-1"), LoopHost.member(FOLLOWER, "dir-2"));
    private SegmentedLog log;
    private LeaderSession session;

    @BeforeEach
    void openLog() throws Exception {
        log = SegmentedLog.open(dir, 0, FsyncPolicy.NEVER, Duration.ZERO, 1 << 20);
    }

    @AfterEach
    void close() throws Exception {
        try {
            assertEquals(List.of(), host.stepDowns, "unexpected step-down");
            assertEquals(List.of(), host.logFailures, "unexpected log failure");
        } finally {
            if (session != null) session.close("test over");
            log.close();
        }
    }

    @Test
    void aRetryWhileTheOriginalIsPendingWaitsForTheSameOutcomeAndAppendsNothing() throws Exception {
        session = startSession(1);
        CompletableFuture<Ack> original = submit(write("order-1", "{\"qty\":1}", Durability.SYNC));
        awaitLogEnd(1);
        CompletableFuture<Ack> retry = submit(write("order-1", "{\"qty\":1}", Durability.SYNC));
        host.runLoop(); // the retry's flush has run
        assertFalse(original.isDone(), "not committed yet: the follower has not answered");
        assertFalse(retry.isDone(), "a retry of a pending write waits for it");

        followerMatched(1);

        Ack ack = original.get(5, TimeUnit.SECONDS);
        assertEquals(new Ack(0, 1, 1, ME), ack);
        assertEquals(ack, retry.get(5, TimeUnit.SECONDS));
        assertEquals(1, log.logEnd(), "the retry appended nothing");
    }

    @Test
    void aRetryAfterCommitIsAnsweredWithTheOriginalPositionAndAppendsNothing() throws Exception {
        session = startSession(1);
        CompletableFuture<Ack> original = submit(write("order-2", "a", Durability.SYNC));
        awaitLogEnd(1);
        followerMatched(1);
        Ack ack = original.get(5, TimeUnit.SECONDS);

        assertEquals(ack, submit(write("order-2", "a", Durability.SYNC)).get(5, TimeUnit.SECONDS));
        assertEquals(ack, submit(write("order-2", "a", Durability.ASYNC)).get(5, TimeUnit.SECONDS));
        assertEquals(1, log.logEnd());
    }

    @Test
    void twoWritesWithTheSameKeyInOneBatchAppendOnce() throws Exception {
        session = startSession(1);
        CompletableFuture<Ack> first = new CompletableFuture<>();
        CompletableFuture<Ack> second = new CompletableFuture<>();
        // both queued before the flush runs
        session.submit(write("twice", "x", Durability.ASYNC), first);
        session.submit(write("twice", "x", Durability.ASYNC), second);
        host.runLoop();
        assertEquals(first.get(5, TimeUnit.SECONDS), second.get(5, TimeUnit.SECONDS));
        assertEquals(1, log.logEnd());
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedAndAppendsNothing() throws Exception {
        session = startSession(1);
        submit(write("order-3", "a", Durability.ASYNC)).get(5, TimeUnit.SECONDS);

        CompletableFuture<Ack> other = submit(write("order-3", "b", Durability.ASYNC));

        ExecutionException e = assertThrows(ExecutionException.class, () -> other.get(5, TimeUnit.SECONDS));
        assertInstanceOf(IdempotencyMismatchException.class, e.getCause());
        assertEquals(1, log.logEnd());
    }

    @Test
    void aNewLeaderAnswersARetryOfAnEntryItsPredecessorWrote() throws Exception {
        // Entry 1 came from the leader of epoch 1 (this member then followed); now it leads epoch 2.
        WriteRequest earlier = write("order-4", "p", Durability.SYNC);
        log.append(List.of(new Entry(0, 1, 1, NOW - 1_000, "", "", earlier.payload(), earlier.idempotency())));
        session = startSession(2);

        CompletableFuture<Ack> retry = submit(write("order-4", "p", Durability.SYNC));
        host.runLoop();
        assertEquals(1, log.logEnd(), "the retry appended nothing");
        followerMatched(1);

        assertEquals(new Ack(0, 1, 1, ME), retry.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aKeyOlderThanTheWindowIsAWriteOfItsOwn() throws Exception {
        session = startSession(1);
        Ack first = submit(write("old", "x", Durability.ASYNC)).get(5, TimeUnit.SECONDS);
        clock.jump(Duration.ofMinutes(11));
        Ack second = submit(write("old", "x", Durability.ASYNC)).get(5, TimeUnit.SECONDS);
        assertEquals(first.index() + 1, second.index());
    }

    // ---- fixtures

    private LeaderSession startSession(long epoch) throws Exception {
        PartitionState state =
                new PartitionState(epoch, ME, List.of(new IsrMember(ME, "dir-1"), new IsrMember(FOLLOWER, "dir-2")), 0);
        LeaderSettings settings = new LeaderSettings(
                1,
                Duration.ofMinutes(1),
                new SenderSettings(64, 1 << 20, Duration.ofMillis(50), Duration.ofMillis(200)),
                Duration.ZERO,
                LeaderSettings.DEFAULT_MAX_PENDING_WRITES,
                new IdempotencySettings(Duration.ofMinutes(10), 1000));
        Versioned<PartitionState> versioned = new Versioned<>(state, 1);
        // No ISR change is expected: a state write that happens anyway is never answered.
        LeaderSession s = new LeaderSession(
                0,
                ME,
                versioned,
                0,
                log,
                new HeldStateStore(versioned),
                new IdlePeers(),
                settings,
                clock,
                Ticker.system(),
                host);
        s.start();
        host.runLoop();
        return s;
    }

    private WriteRequest write(String idemKey, String body, Durability durability) {
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        return new WriteRequest(
                0,
                "item",
                "application/json",
                payload,
                durability,
                IdempotencyKey.of(idemKey, "item", "application/json", payload));
    }

    private CompletableFuture<Ack> submit(WriteRequest request) {
        CompletableFuture<Ack> result = new CompletableFuture<>();
        session.submit(request, result);
        host.runLoop();
        return result;
    }

    /** The follower reports it holds the log through {@code index}. */
    private void followerMatched(long index) throws Exception {
        session.appended(FOLLOWER, AppendResponse.appended(session.epoch(), index, index, "dir-2"), true);
        host.runLoop();
    }

    /** Runs the loop (and so the flush); the log must then reach {@code index}. */
    private void awaitLogEnd(long index) {
        host.runLoop();
        if (log.logEnd() < index) throw new AssertionError("log end " + log.logEnd() + " < " + index);
    }
}
