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
 * While the conditional write that adds a member to the ISR is in flight, or its outcome is unknown, commit
 * already needs that member ("maximal ISR", docs/design.md rule 6). Otherwise: ISR {A}; C catches up to 1; the
 * write adding C leaves; A commits 2 alone; ZooKeeper now lists {A, C}; A dies; C leads without entry 2.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LeaderSessionMaximalIsrTest {
    private static final String A = "node-a";
    private static final String C = "node-c";
    private static final Versioned<PartitionState> LEADER_ALONE =
            new Versioned<>(new PartitionState(1, A, List.of(new IsrMember(A, "dir-a")), 0), 4);

    @TempDir
    Path dir;

    private final LoopHost host = new LoopHost(LoopHost.member(A, "dir-a"), LoopHost.member(C, "dir-c"));
    private final HeldStateStore store = new HeldStateStore(LEADER_ALONE);
    private LeaderFixture leader;
    private LeaderSession session;

    @BeforeEach
    void lead() throws Exception {
        leader = new LeaderFixture(
                dir, 0, LEADER_ALONE, 1, Duration.ZERO, store, host, new ManualClock(), new ManualTicker());
        session = leader.session;
    }

    @AfterEach
    void close() throws Exception {
        leader.close();
    }

    private CompletableFuture<Ack> write(Durability durability) {
        return leader.write(durability);
    }

    private void cMatches(long index) {
        leader.matched(C, "dir-c", index);
    }

    /** Entry 1 committed by A alone, C caught up with it, and the write adding C to the ISR held in flight. */
    private HeldStateStore.Write cCatchesUpAndItsAdditionLeaves() throws Exception {
        assertTrue(write(Durability.SYNC).isDone(), "A alone is the ISR: entry 1 commits at once");
        cMatches(1);
        HeldStateStore.Write grow = store.nextWrite();
        assertEquals(List.of(A, C), grow.next().isrMemberIds());
        assertEquals(LEADER_ALONE.version(), grow.expectedVersion());
        return grow;
    }

    @Test
    void writesDoNotCommitPastAJoiningMemberWhileItsAdditionIsInFlight() throws Exception {
        HeldStateStore.Write grow = cCatchesUpAndItsAdditionLeaves();

        CompletableFuture<Ack> sync = write(Durability.SYNC);
        write(Durability.ASYNC);
        assertEquals(1, host.commitIndex, "entries 2 and 3 are not on C, which ZooKeeper may already list");
        assertFalse(sync.isDone());

        grow.succeed();
        host.runLoop();
        assertEquals(1, host.commitIndex);
        cMatches(3);
        assertEquals(3, host.commitIndex);
        assertEquals(2, sync.join().index());
    }

    @Test
    void aLostReplyOnAnUnchangedVersionIsWrittenAgainAndTheMemberCountsMeanwhile() throws Exception {
        HeldStateStore.Write grow = cCatchesUpAndItsAdditionLeaves();
        grow.loseReply();
        host.runLoop();

        CompletableFuture<Ack> sync = write(Durability.SYNC);
        assertEquals(1, host.commitIndex, "the addition may have happened: C still counts");
        assertFalse(sync.isDone());

        store.nextRead().answer(LEADER_ALONE); // the addition did not happen (yet): the same version
        host.runLoop();
        HeldStateStore.Write again = store.nextWrite();
        assertEquals(grow.next(), again.next(), "the same change again");
        assertEquals(LEADER_ALONE.version(), again.expectedVersion(), "on the same version: it fences the first");
        session.maintain();
        host.runLoop();
        assertEquals(1, host.commitIndex);

        again.succeed();
        host.runLoop();
        cMatches(2);
        assertEquals(2, sync.join().index());
        assertTrue(host.stepDowns.isEmpty(), host.stepDowns.toString());
    }

    @Test
    void aLostReplyOfAWriteThatWentThroughIsSettledByTheReRead() throws Exception {
        HeldStateStore.Write grow = cCatchesUpAndItsAdditionLeaves();
        grow.loseReply();
        host.runLoop();

        store.nextRead().answer(new Versioned<>(grow.next(), grow.expectedVersion() + 1));
        host.runLoop();
        CompletableFuture<Ack> sync = write(Durability.SYNC);
        assertEquals(1, host.commitIndex, "C is in the ISR now");
        session.maintain();
        host.runLoop();
        assertTrue(store.noWriteAsked(), "nothing left to write");

        cMatches(2);
        assertEquals(2, sync.join().index());
        assertTrue(host.stepDowns.isEmpty(), host.stepDowns.toString());
    }

    @Test
    void aStaleVersionAnswerToAWriteThatLandedAfterAllIsSettledByTheReRead() throws Exception {
        // A client retry of the write after a connection loss finds the version moved by the first attempt.
        HeldStateStore.Write grow = cCatchesUpAndItsAdditionLeaves();
        grow.stale();
        host.runLoop();

        store.nextRead().answer(new Versioned<>(grow.next(), grow.expectedVersion() + 1));
        host.runLoop();
        assertTrue(host.stepDowns.isEmpty(), "our own write landed: " + host.stepDowns);
        CompletableFuture<Ack> sync = write(Durability.SYNC);
        assertEquals(1, host.commitIndex, "C is in the ISR");
        cMatches(2);
        assertEquals(2, sync.join().index());
    }

    @Test
    void aLostReplyWhereAnotherWriteWonStepsDown() throws Exception {
        HeldStateStore.Write grow = cCatchesUpAndItsAdditionLeaves();
        grow.loseReply();
        host.runLoop();

        PartitionState claimedByC = LEADER_ALONE.value().ledBy(C, 2);
        store.nextRead().answer(new Versioned<>(claimedByC, LEADER_ALONE.version() + 1));
        host.runLoop();

        assertEquals(1, host.stepDowns.size(), "our write lost: " + host.stepDowns);
    }

    @Test
    void aFailedReReadIsRetriedOnTheNextTick() throws Exception {
        HeldStateStore.Write grow = cCatchesUpAndItsAdditionLeaves();
        grow.loseReply();
        host.runLoop();
        store.nextRead().reply().completeExceptionally(new IllegalStateException("still disconnected"));
        host.runLoop();

        session.maintain();
        host.runLoop();
        store.nextRead().answer(new Versioned<>(grow.next(), grow.expectedVersion() + 1));
        host.runLoop();
        assertTrue(host.stepDowns.isEmpty(), host.stepDowns.toString());
    }
}
