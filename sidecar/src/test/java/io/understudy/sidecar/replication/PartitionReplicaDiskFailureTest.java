package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.config.Durability;
import io.understudy.sidecar.coordination.IsrMember;
import io.understudy.sidecar.coordination.LeaderElection;
import io.understudy.sidecar.coordination.MemberInfo;
import io.understudy.sidecar.coordination.Membership;
import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.coordination.PartitionStateStore;
import io.understudy.sidecar.coordination.StaleVersionException;
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
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
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
    private final FakeElection election = new FakeElection();
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

    private void start(PartitionState initial, boolean winsLatch) throws IOException {
        start(initial, winsLatch, dataDir.durableLong("partition-0/known-epoch"));
    }

    private void start(PartitionState initial, boolean winsLatch, DurableLong knownEpoch) {
        election.winsLatch = winsLatch;
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
                0,
                new FakeStore(initial),
                new SelfOnly(dataDir.id()),
                events -> election.listening(events),
                new NoPeers(),
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
                timer);
        replica.start();
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
        start(new PartitionState(0, null, List.of(new IsrMember(ME, dataDir.id())), 0), true);
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
        assertFalse(election.joined(), "left the latch so that another member can lead");
        ReplicaStatus status = replica.status();
        assertTrue(status.failure().contains("fsync"), status.failure());
        assertInstanceOf(PartitionFailedException.class, failureOf(replica.write(write("later"))));
        Thread.sleep(200); // ticks run every 50 ms: give them the chance to retry a force that they must not take
        assertEquals(1, disk.attemptsWhileArmed(), "the failed fsync is never retried");
        assertFalse(election.joined(), "never rejoins");
    }

    @Test
    void followerWhoseFsyncFailsRefusesTheResendAndLeavesTheElection() throws Exception {
        start(
                new PartitionState(
                        1, "node-2", List.of(new IsrMember("node-2", "d2"), new IsrMember(ME, dataDir.id())), 0),
                false);
        assertEquals(AppendResponse.Result.APPENDED, send(append(1, 0, 1, 2)).result());
        assertTrue(election.joined(), "an ISR member is in the latch");
        disk.arm();

        AppendResponse failed = send(append(1, 2, 3, 4));
        AppendResponse resent = send(append(1, 2, 3, 4));
        AppendResponse heartbeat = send(append(1, 4, 5, 4));

        assertEquals(AppendResponse.Result.UNAVAILABLE, failed.result());
        assertEquals(AppendResponse.Result.UNAVAILABLE, resent.result(), "never APPENDED for unforced entries");
        assertEquals(AppendResponse.Result.UNAVAILABLE, heartbeat.result());
        assertEquals(ReplicaRole.FAILED, replica.status().role());
        assertEquals(ReplicaRole.FAILED, nextRole());
        assertFalse(election.joined());
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
                false,
                knownEpoch);

        AppendResponse answer = send(append(3, 0, 1, 1));

        assertEquals(AppendResponse.Result.UNAVAILABLE, answer.result());
        assertEquals(0, log.logEnd(), "nothing taken from a leader whose epoch this member cannot remember");
        assertEquals(ReplicaRole.FAILED, replica.status().role());
        assertTrue(
                replica.status().failure().contains("epoch"), replica.status().failure());
        assertFalse(election.joined());
    }

    /** One partition's state in memory, with conditional writes on the version as ZooKeeper has them. */
    private static final class FakeStore implements PartitionStateStore {
        private Versioned<PartitionState> state;
        private final List<Consumer<Versioned<PartitionState>>> watchers = new ArrayList<>();

        FakeStore(PartitionState initial) {
            state = new Versioned<>(initial, 0);
        }

        @Override
        public synchronized CompletableFuture<Versioned<PartitionState>> initialize(int partition) {
            return CompletableFuture.completedFuture(state);
        }

        @Override
        public synchronized CompletableFuture<Versioned<PartitionState>> read(int partition) {
            return CompletableFuture.completedFuture(state);
        }

        @Override
        public synchronized CompletableFuture<Versioned<PartitionState>> compareAndSet(
                int partition, PartitionState next, int expectedVersion) {
            if (expectedVersion != state.version()) {
                return CompletableFuture.failedFuture(new StaleVersionException("version " + state.version()));
            }
            state = new Versioned<>(next, expectedVersion + 1);
            watchers.forEach(w -> w.accept(state));
            return CompletableFuture.completedFuture(state);
        }

        @Override
        public CompletableFuture<Versioned<PartitionState>> claim(
                int partition, PartitionState next, int expectedVersion, String latchNodePath) {
            return compareAndSet(partition, next, expectedVersion);
        }

        @Override
        public synchronized void watch(int partition, Consumer<Versioned<PartitionState>> listener) {
            watchers.add(listener);
            listener.accept(state);
        }
    }

    /** A latch this member wins on joining when the test says so. */
    private static final class FakeElection implements LeaderElection {
        volatile boolean winsLatch;
        private volatile boolean joined;
        private LeaderElection.Listener events;

        LeaderElection listening(LeaderElection.Listener events) {
            this.events = events;
            return this;
        }

        @Override
        public void join() {
            joined = true;
            if (winsLatch) events.elected();
        }

        @Override
        public void leave() {
            boolean held = holdsLatch();
            joined = false;
            if (held) events.notElected();
        }

        @Override
        public boolean joined() {
            return joined;
        }

        @Override
        public String latchNodePath() {
            return joined ? "/latch/" + ME : null;
        }

        @Override
        public boolean holdsLatch() {
            return joined && winsLatch;
        }

        @Override
        public void close() {
            joined = false;
        }
    }

    /** Only this member is alive: a leader has no follower to send to. */
    private static final class SelfOnly implements Membership {
        private final MemberInfo self;

        SelfOnly(String dataDirId) {
            self = new MemberInfo(ME, "http://127.0.0.1:1", "test", 0, dataDirId, 0, Map.of(), true);
        }

        @Override
        public void start(MemberInfo self) {}

        @Override
        public void update(MemberInfo self) {}

        @Override
        public Map<String, MemberInfo> live() {
            return Map.of(ME, self);
        }

        @Override
        public void addListener(Runnable onChange) {}

        @Override
        public void close() {}
    }

    private static final class NoPeers implements PeerClient {
        @Override
        public CompletableFuture<AppendResponse> append(String peerUrl, AppendRequest request) {
            return CompletableFuture.failedFuture(new IOException("no peers in this test"));
        }

        @Override
        public CompletableFuture<Ack> forward(String peerUrl, WriteRequest request) {
            return CompletableFuture.failedFuture(new IOException("no peers in this test"));
        }

        @Override
        public void close() {}
    }
}
