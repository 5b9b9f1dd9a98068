package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.config.Durability;
import io.understudy.sidecar.coordination.IsrMember;
import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.coordination.Versioned;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A suspended leader acknowledges nothing: no sync write, and no async write either (docs/design.md rule 3). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LeaderSessionSuspensionTest {
    private static final String A = "node-a";
    private static final String C = "node-c";
    private static final Versioned<PartitionState> BOTH_IN_SYNC = new Versioned<>(
            new PartitionState(1, A, List.of(new IsrMember(A, "dir-a"), new IsrMember(C, "dir-c")), 0), 2);

    @TempDir
    Path dir;

    private final LoopHost host = new LoopHost(LoopHost.member(A, "dir-a"), LoopHost.member(C, "dir-c"));
    private LeaderFixture leader;

    @BeforeEach
    void lead() throws Exception {
        leader = new LeaderFixture(
                dir,
                0,
                BOTH_IN_SYNC,
                2,
                Duration.ZERO,
                new HeldStateStore(BOTH_IN_SYNC),
                host,
                new ManualClock(),
                new ManualTicker());
    }

    @AfterEach
    void close() throws Exception {
        leader.close();
    }

    @Test
    void anAsyncWriteQueuedBeforeASuspensionIsNotAcknowledged() {
        CompletableFuture<Ack> async = leader.submit(Durability.ASYNC);
        leader.session.suspend(); // the connection drops between the write's arrival and its flush
        host.runLoop();

        CompletionException refused = assertThrows(CompletionException.class, async::join);
        assertInstanceOf(NotLeaderException.class, refused.getCause());
        assertEquals(0, leader.partitionLog.logEnd(), "a refused write is not written either");
    }

    @Test
    void aSyncWriteCommittedWhileSuspendedIsAcknowledgedOnlyAfterResuming() {
        CompletableFuture<Ack> sync = leader.write(Durability.SYNC);
        leader.session.suspend();
        leader.matched(C, "dir-c", 1);
        assertFalse(sync.isDone(), "committed, but a suspended leader acknowledges nothing");

        leader.session.resume();
        host.runLoop();
        assertTrue(sync.isDone());
        assertEquals(1, sync.join().index());
    }

    @Test
    void aSuspendedLeaderRefusesNewWrites() {
        leader.session.suspend();
        CompletableFuture<Ack> async = leader.write(Durability.ASYNC);
        assertInstanceOf(
                NotLeaderException.class,
                assertThrows(CompletionException.class, async::join).getCause());
    }
}
