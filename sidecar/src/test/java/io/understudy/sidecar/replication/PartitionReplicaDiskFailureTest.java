package io.understudy.sidecar.replication;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.config.Durability;
import io.understudy.sidecar.coordination.IsrMember;
import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.coordination.Versioned;
import io.understudy.sidecar.log.DataDirectory;
import io.understudy.sidecar.log.DurableLong;
import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.FsyncPolicy;
import io.understudy.sidecar.log.SegmentedLog;
import io.understudy.sidecar.testing.FailingForce;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partition replica whose disk fails (a failed fsync, or a failed write of its known-epoch file) stops for good:
 * FAILED, out of the election, refusing appends and writes, and answering the writes in flight "outcome unknown"
 * only after FAILED is published. ZooKeeper, the latch and the peers are in-memory fakes; the log is real.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PartitionReplicaDiskFailureTest {
    private static final String ME = "node-1";
    private static final long WAIT_SECONDS = 10;

    @TempDir
    Path dir;

    private final FailingForce disk = new FailingForce();
    private final BlockingQueue<ReplicaRole> roles = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicReference<FakeElection> election = new AtomicReference<>();
    private HeldStateStore store;
    private DataDirectory dataDir;
    private SegmentedLog log;
    private PartitionReplica replica;

    @BeforeEach
    void open() throws IOException {
        dataDir = DataDirectory.open(dir.resolve("data"));
        log = SegmentedLog.open(dataDir.partitionDir(0), 0, FsyncPolicy.ALWAYS, Duration.ZERO, 1 << 20, disk);
    }

    @AfterEach
    void close() throws IOException {
        if (replica != null) replica.close();
        timer.shutdownNow();
        log.close();
        dataDir.close();
    }

    private void start(PartitionState initial) throws IOException {
        start(initial, dataDir.durableLong("partition-0/known-epoch"));
    }

    private void start(PartitionState initial, DurableLong knownEpoch) throws IOException {
        store = new HeldStateStore(new Versioned<>(initial, 0));
        var sender = new SenderSettings(100, 1 << 20, Duration.ofMillis(50), Duration.ofSeconds(1));
        var settings = new ReplicaSettings(
                new LeaderSettings(1, Duration.ofSeconds(10), sender, Duration.ZERO),
                Duration.ofMillis(50),
                false,
                Duration.ofSeconds(1));
        replica = new PartitionReplica(
                0,
                ME,
                dataDir.id(),
                log,
                knownEpoch,
                dataDir.durableLong("incarnation"),
                0,
                store,
                new FakeMembership(LoopHost.member(ME, dataDir.id())), // alone: a leader has no follower to send to
                events -> {
                    election.set(new FakeElection(events));
                    return election.get();
                },
                new IdlePeers(),
                settings,
                Clock.systemUTC(),
                Ticker.system(),
                new ReplicaListener() {
                    @Override
                    public void roleChanged(int partition, ReplicaRole role, long epoch, String leader) {
                        roles.add(role);
                    }

                    @Override
                    public void commitAdvanced(int partition, long commitIndex) {}
                },
                timer,
                () -> false,
                ReplicaSnapshots.none());
        replica.start();
    }

    /** Hands this member the latch once it has joined, and lets its read and epoch claim go through. */
    private void winLatch(PartitionState initial) throws InterruptedException {
        await().atMost(Duration.ofSeconds(WAIT_SECONDS))
                .until(() -> election.get().joined());
        election.get().win();
        store.nextRead().answer(new Versioned<>(initial, 0));
        store.nextClaim().succeed();
    }

    private ReplicaRole nextRole() throws InterruptedException {
        ReplicaRole role = roles.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (role == null) throw new AssertionError("no role change within " + WAIT_SECONDS + " s");
        return role;
    }

    private static WriteRequest write(String key) {
        return new WriteRequest(0, key, "text/plain", new byte[] {1}, Durability.SYNC);
    }

    private static AppendRequest append(long epoch, long prevIndex, long from, long to) {
        List<Entry> entries = new ArrayList<>();
        for (long i = from; i <= to; i++) entries.add(new Entry(0, epoch, i, 0, "k" + i, "", new byte[] {(byte) i}));
        return new AppendRequest(0, epoch, "node-2", prevIndex, prevIndex == 0 ? 0 : epoch, 0, entries);
    }

    private AppendResponse send(AppendRequest request) throws Exception {
        return replica.append(request).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
        try {
            future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure, got " + future.get());
    }

    @Test
    void leaderWhoseFsyncFailsGoesFailedBeforeAnsweringTheWriteInFlightUnknown() throws Exception {
        PartitionState alone = new PartitionState(0, null, List.of(new IsrMember(ME, dataDir.id())), 0);
        start(alone);
        winLatch(alone);
        assertEquals(ReplicaRole.LEADER, nextRole());
        assertEquals(
                1,
                replica.write(write("ok")).get(WAIT_SECONDS, TimeUnit.SECONDS).index());
        disk.arm();

        CompletableFuture<Ack> inFlight = replica.write(write("lost?"));
        AtomicReference<ReplicaRole> roleWhenAnswered = new AtomicReference<>();
        CompletableFuture<Ack> observed = inFlight.whenComplete(
                (ack, error) -> roleWhenAnswered.set(replica.status().role()));

        Throwable error = failureOf(observed);
        assertInstanceOf(LeadershipLostException.class, error, "followers may hold it: outcome unknown");
        assertTrue(error.getMessage().contains("outcome is unknown"), error.getMessage());
        assertEquals(ReplicaRole.FAILED, roleWhenAnswered.get(), "FAILED is published before the answer");
        assertEquals(ReplicaRole.FAILED, nextRole(), "the app hears it");
        assertFalse(election.get().joined(), "left the latch so that another member can lead");
        ReplicaStatus status = replica.status();
        assertTrue(status.failure().contains("fsync"), status.failure());
        assertInstanceOf(PartitionFailedException.class, failureOf(replica.write(write("later"))));
        Thread.sleep(200); // ticks run every 50 ms: give them the chance to retry a force that they must not take
        assertEquals(1, disk.attemptsWhileArmed(), "the failed fsync is never retried");
        assertFalse(election.get().joined(), "never rejoins");
    }

    @Test
    void followerWhoseFsyncFailsRefusesTheResendAndLeavesTheElection() throws Exception {
        start(new PartitionState(
                1, "node-2", List.of(new IsrMember("node-2", "d2"), new IsrMember(ME, dataDir.id())), 0));
        assertEquals(AppendResponse.Result.APPENDED, send(append(1, 0, 1, 2)).result());
        assertTrue(election.get().joined(), "an ISR member is in the latch");
        disk.arm();

        AppendResponse failed = send(append(1, 2, 3, 4));
        AppendResponse resent = send(append(1, 2, 3, 4));
        AppendResponse heartbeat = send(append(1, 4, 5, 4));

        // FAILED, not UNAVAILABLE: the leader drops it from the ISR at once rather than after replicaLagMaxMs.
        assertEquals(AppendResponse.Result.FAILED, failed.result());
        assertEquals(AppendResponse.Result.FAILED, resent.result(), "never APPENDED for unforced entries");
        assertEquals(AppendResponse.Result.FAILED, heartbeat.result());
        assertEquals(ReplicaRole.FAILED, replica.status().role());
        assertEquals(ReplicaRole.FAILED, nextRole());
        assertFalse(election.get().joined());
        assertEquals(1, disk.attemptsWhileArmed());
    }

    @Test
    void aKnownEpochThatCannotBePersistedStopsTheReplica() throws Exception {
        DurableLong knownEpoch = dataDir.durableLong("partition-0/known-epoch");
        // The epoch file is replaced through a sibling .tmp file: a directory in its place makes every write fail.
        Files.createDirectories(
                knownEpoch.file().resolveSibling(knownEpoch.file().getFileName() + ".tmp"));
        start(
                new PartitionState(0, null, List.of(new IsrMember("node-2", "d2"), new IsrMember(ME, dataDir.id())), 0),
                knownEpoch);

        AppendResponse answer = send(append(3, 0, 1, 1));

        assertEquals(AppendResponse.Result.FAILED, answer.result());
        assertEquals(0, log.logEnd(), "nothing taken from a leader whose epoch this member cannot remember");
        assertEquals(ReplicaRole.FAILED, replica.status().role());
        assertTrue(
                replica.status().failure().contains("epoch"), replica.status().failure());
        assertFalse(election.get().joined());
    }
}
