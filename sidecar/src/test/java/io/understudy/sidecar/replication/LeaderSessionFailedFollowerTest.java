package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.config.Durability;
import io.understudy.sidecar.coordination.IsrMember;
import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.coordination.Versioned;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower whose replica has FAILED (its log failed) says so in its append answer, and the leader takes it out
 * of the ISR at once, through ZooKeeper first (docs/design.md rule 6), instead of letting every {@code sync} write
 * wait out {@code replicaLagMaxMs}. It is not added back while it answers FAILED.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LeaderSessionFailedFollowerTest {
    private static final String A = "node-a";
    private static final String B = "node-b";
    private static final String C = "node-c";
    private static final Versioned<PartitionState> ALL_IN_SYNC = new Versioned<>(
            new PartitionState(
                    1, A, List.of(new IsrMember(A, "dir-a"), new IsrMember(B, "dir-b"), new IsrMember(C, "dir-c")), 0),
            7);

    @TempDir
    Path dir;

    private final ManualTicker ticker = new ManualTicker();
    private final LoopHost host =
            new LoopHost(LoopHost.member(A, "dir-a"), LoopHost.member(B, "dir-b"), LoopHost.member(C, "dir-c"));
    private final HeldStateStore store = new HeldStateStore(ALL_IN_SYNC);
    private LeaderFixture leader;
    private LeaderSession session;

    @BeforeEach
    void lead() throws Exception {
        leader = new LeaderFixture(dir, 0, ALL_IN_SYNC, 2, Duration.ZERO, store, host, new ManualClock(), ticker);
        session = leader.session;
    }

    @AfterEach
    void close() throws Exception {
        leader.close();
    }

    @Test
    void aFollowerAnsweringFailedLeavesTheIsrAtOnceAndTheSyncWriteCommitsWithoutIt() throws Exception {
        CompletableFuture<Ack> sync = leader.write(Durability.SYNC);
        leader.matched(B, "dir-b", 1);
        assertFalse(sync.isDone(), "C, an ISR member, does not hold entry 1 yet");

        ticker.advance(Duration.ofMillis(1)); // nowhere near replicaLagMax
        leader.answersFailed(C, "dir-c");

        HeldStateStore.Write shrink = store.nextWrite();
        assertEquals(List.of(A, B), shrink.next().isrMemberIds());
        assertEquals(ALL_IN_SYNC.version(), shrink.expectedVersion(), "a conditional write on the version read");
        assertFalse(sync.isDone(), "commit waits for C until ZooKeeper no longer lists it (rule 6)");

        shrink.succeed();
        host.runLoop();

        assertTrue(sync.isDone(), "committed by A and B, the ISR ZooKeeper now lists");
        assertEquals(1, sync.get().index());
        assertEquals(1, host.commitIndex);
    }

    @Test
    void aFollowerAnsweringFailedIsNotAddedBackWhileItKeepsAnsweringFailed() throws Exception {
        leader.matched(C, "dir-c", 0); // caught up: only its FAILED answers keep it out
        leader.answersFailed(C, "dir-c");
        store.nextWrite().succeed();
        host.runLoop();

        leader.answersFailed(C, "dir-c"); // the next heartbeat's answer
        session.maintain();
        host.runLoop();

        assertTrue(store.noWriteAsked(), "a member whose log failed must not grow the ISR again");
    }

    @Test
    void aFollowerThatAnswersAppendedAgainMayRejoinTheIsr() throws Exception {
        leader.answersFailed(C, "dir-c");
        store.nextWrite().succeed();
        host.runLoop();

        // Restarted by an operator (same data dir id here, for brevity) and caught up again.
        leader.matched(C, "dir-c", 0);

        HeldStateStore.Write grow = store.nextWrite();
        assertEquals(List.of(A, B, C), grow.next().isrMemberIds());
    }
}
