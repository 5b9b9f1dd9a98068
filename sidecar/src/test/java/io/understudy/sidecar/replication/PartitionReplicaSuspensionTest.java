package io.understudy.sidecar.replication;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.understudy.sidecar.config.Durability;
import io.understudy.sidecar.coordination.ConnectionListener;
import io.understudy.sidecar.coordination.IsrMember;
import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.coordination.Versioned;
import io.understudy.sidecar.log.DataDirectory;
import io.understudy.sidecar.log.FsyncPolicy;
import io.understudy.sidecar.log.SegmentedLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** While the ZooKeeper connection is SUSPENDED a replica acknowledges nothing, also when it wins a claim meanwhile. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PartitionReplicaSuspensionTest {
    private static final String ME = "node-a";
    private static final Versioned<PartitionState> LED_BY_B = new Versioned<>(
            new PartitionState(1, "node-b", List.of(new IsrMember(ME, "dir-a"), new IsrMember("node-b", "dir-b")), 0),
            3);

    @TempDir
    Path dir;

    private final HeldStateStore store = new HeldStateStore(LED_BY_B);
    private final AtomicReference<FakeElection> election = new AtomicReference<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private SegmentedLog partitionLog;
    private DataDirectory dataDir;
    private PartitionReplica replica;

    @BeforeEach
    void start() throws Exception {
        dataDir = DataDirectory.open(dir.resolve("data"));
        partitionLog = SegmentedLog.open(dir.resolve("log"), 0, FsyncPolicy.NEVER, Duration.ZERO, 1 << 20);
        SenderSettings sender = new SenderSettings(100, 1 << 20, Duration.ofMillis(100), Duration.ofSeconds(30));
        ReplicaSettings settings = new ReplicaSettings(
                new LeaderSettings(1, Duration.ofSeconds(10), sender, Duration.ZERO),
                Duration.ofHours(1), // no ticks: the test drives every step
                false,
                Duration.ofSeconds(30));
        replica = new PartitionReplica(
                0,
                ME,
                "dir-a",
                partitionLog,
                dataDir.durableLong("known-epoch"),
                dataDir.durableLong("incarnation"),
                0,
                store,
                new FakeMembership(LoopHost.member(ME, "dir-a"), LoopHost.member("node-b", "dir-b")),
                listener -> {
                    election.set(new FakeElection(listener));
                    return election.get();
                },
                new IdlePeers(),
                settings,
                Clock.systemUTC(),
                new ManualTicker(),
                new ReplicaListener() {
                    @Override
                    public void roleChanged(int partition, ReplicaRole role, long epoch, String leader) {}

                    @Override
                    public void commitAdvanced(int partition, long commitIndex) {}
                },
                timer,
                () -> false,
                ReplicaSnapshots.none());
        replica.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> election.get().joined());
    }

    @AfterEach
    void stop() throws Exception {
        replica.close();
        timer.shutdownNow();
        partitionLog.close();
        dataDir.close();
    }

    private static WriteRequest write(Durability durability) {
        return new WriteRequest(0, "k", "text/plain", "v".getBytes(StandardCharsets.UTF_8), durability);
    }

    @Test
    void aClaimThatCompletesWhileSuspendedAcknowledgesNothingUntilLeadershipIsVerified() throws Exception {
        election.get().win();
        store.nextRead().answer(LED_BY_B);
        HeldStateStore.Write claim = store.nextClaim();
        assertEquals(2, claim.next().epoch());

        replica.connectionChanged(ConnectionListener.Change.SUSPENDED);
        Versioned<PartitionState> claimed = claim.succeed();
        await().atMost(Duration.ofSeconds(5)).until(replica::isLeader);

        ExecutionException refused = assertThrows(
                ExecutionException.class,
                () -> replica.write(write(Durability.ASYNC)).get(5, TimeUnit.SECONDS));
        assertInstanceOf(NotLeaderException.class, refused.getCause());

        replica.connectionChanged(ConnectionListener.Change.RECONNECTED);
        store.nextRead().answer(claimed); // still our latch and our epoch: resume
        // The answer may reach the loop after a write posted right away (the loop registers its callback after the
        // read is handed out), so write until the resumed session takes one; refused writes append nothing.
        Ack ack = await().atMost(Duration.ofSeconds(5))
                .ignoreExceptions()
                .until(() -> replica.write(write(Durability.ASYNC)).get(5, TimeUnit.SECONDS), a -> a != null);
        assertEquals(2, ack.epoch());
    }
}
