package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.understudy.sidecar.config.Durability;
import io.understudy.sidecar.coordination.IsrMember;
import io.understudy.sidecar.coordination.MemberInfo;
import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.coordination.PartitionStateStore;
import io.understudy.sidecar.coordination.Versioned;
import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.FsyncPolicy;
import io.understudy.sidecar.log.IdempotencyKey;
import io.understudy.sidecar.log.SegmentedLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader session with a real log, one follower that answers only when the test says so (so a sync write stays
 * pending until then), and no ZooKeeper: idempotent retries while pending, after commit, and after a new leader
 * took over the same log.
 */
@Timeout(30)
class LeaderSessionIdempotencyTest {
    private static final String ME = "node-1";
    private static final String FOLLOWER = "node-2";
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(NOW);
    private final ExecutorService loop = Executors.newSingleThreadExecutor();
    private SegmentedLog log;
    private LeaderSession session;

    @BeforeEach
    void openLog() throws Exception {
        log = SegmentedLog.open(dir, 0, FsyncPolicy.NEVER, Duration.ZERO, 1 << 20);
    }

    @AfterEach
    void close() throws Exception {
        if (session != null) onLoop(() -> session.close("test over"));
        loop.shutdownNow();
        log.close();
    }

    @Test
    void aRetryWhileTheOriginalIsPendingWaitsForTheSameOutcomeAndAppendsNothing() throws Exception {
        session = startSession(1);
        CompletableFuture<Ack> original = submit(write("order-1", "{\"qty\":1}", Durability.SYNC));
        awaitLogEnd(1);
        CompletableFuture<Ack> retry = submit(write("order-1", "{\"qty\":1}", Durability.SYNC));
        onLoop(() -> {}); // the retry's flush has run
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
        onLoop(
                () -> { // both queued before the flush runs
                    session.submit(write("twice", "x", Durability.ASYNC), first);
                    session.submit(write("twice", "x", Durability.ASYNC), second);
                });
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
        onLoop(() -> {});
        assertEquals(1, log.logEnd(), "the retry appended nothing");
        followerMatched(1);

        assertEquals(new Ack(0, 1, 1, ME), retry.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aKeyOlderThanTheWindowIsAWriteOfItsOwn() throws Exception {
        session = startSession(1);
        Ack first = submit(write("old", "x", Durability.ASYNC)).get(5, TimeUnit.SECONDS);
        clock.advance(Duration.ofMinutes(11));
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
        CompletableFuture<LeaderSession> started = new CompletableFuture<>();
        loop.execute(() -> {
            LeaderSession s = new LeaderSession(
                    0,
                    ME,
                    new Versioned<>(state, 1),
                    0,
                    log,
                    new QuietStore(),
                    new SilentPeers(),
                    settings,
                    clock,
                    Ticker.system(),
                    new LoopHost());
            s.start();
            started.complete(s);
        });
        return started.get(5, TimeUnit.SECONDS);
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
        loop.execute(() -> session.submit(request, result));
        return result;
    }

    /** The follower reports it holds the log through {@code index}. */
    private void followerMatched(long index) throws Exception {
        onLoop(() -> session.appended(FOLLOWER, AppendResponse.appended(session.epoch(), index, index, "dir-2"), true));
    }

    private void awaitLogEnd(long index) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (log.logEnd() < index) {
            if (System.nanoTime() > deadline) throw new AssertionError("log end " + log.logEnd() + " < " + index);
            onLoop(() -> {}); // the loop runs the flush; waiting for it to drain is the condition's own pace
        }
    }

    /** Runs {@code task} on the loop and waits for it (and so for everything queued before it). */
    private void onLoop(Runnable task) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                task.run();
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        done.get(5, TimeUnit.SECONDS);
    }

    private final class LoopHost implements LeaderSession.Host {
        @Override
        public void onLoop(Runnable task) {
            loop.execute(task);
        }

        @Override
        public void commitAdvanced(long commitIndex) {}

        @Override
        public void stepDown(String reason) {
            throw new AssertionError("unexpected step-down: " + reason);
        }

        @Override
        public void higherEpochSeen(long epoch) {}

        @Override
        public Map<String, MemberInfo> liveMembers() {
            return Map.of(ME, member(ME, "dir-1"), FOLLOWER, member(FOLLOWER, "dir-2"));
        }

        @Override
        public void handOver(String reason) {}

        @Override
        public void logFailed(String why) {
            throw new AssertionError("unexpected log failure: " + why);
        }

        private MemberInfo member(String id, String dataDirId) {
            return new MemberInfo(id, "http://127.0.0.1:1/" + id, "test", NOW, dataDirId, NOW, Map.of(), true);
        }
    }

    /** The follower's sender gets no answer; the test reports the follower's progress itself. */
    private static final class SilentPeers implements PeerClient {
        @Override
        public CompletableFuture<AppendResponse> append(String peerUrl, AppendRequest request) {
            return new CompletableFuture<>();
        }

        @Override
        public CompletableFuture<Ack> forward(String peerUrl, WriteRequest request) {
            return new CompletableFuture<>();
        }

        @Override
        public void close() {}
    }

    /** No ISR change is expected; a state write that happens anyway never completes. */
    private static final class QuietStore implements PartitionStateStore {
        @Override
        public CompletableFuture<Versioned<PartitionState>> initialize(int partition) {
            return new CompletableFuture<>();
        }

        @Override
        public CompletableFuture<Versioned<PartitionState>> read(int partition) {
            return new CompletableFuture<>();
        }

        @Override
        public CompletableFuture<Versioned<PartitionState>> compareAndSet(
                int partition, PartitionState next, int expectedVersion) {
            return new CompletableFuture<>();
        }

        @Override
        public CompletableFuture<Versioned<PartitionState>> claim(
                int partition, PartitionState next, int expectedVersion, String latchNodePath) {
            return new CompletableFuture<>();
        }

        @Override
        public void watch(int partition, Consumer<Versioned<PartitionState>> listener) {}
    }
}
