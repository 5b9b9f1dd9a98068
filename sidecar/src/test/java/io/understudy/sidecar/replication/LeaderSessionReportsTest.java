package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.coordination.IsrMember;
import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.coordination.Versioned;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a leader session reports for metrics and events: the ISR changes it wrote, each follower's match index. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LeaderSessionReportsTest {
    private static final String A = "node-a";
    private static final String B = "node-b";
    private static final String C = "node-c";
    private static final Versioned<PartitionState> ALL_IN_SYNC = new Versioned<>(
            new PartitionState(
                    1, A, List.of(new IsrMember(A, "dir-a"), new IsrMember(B, "dir-b"), new IsrMember(C, "dir-c")), 0),
            7);

    @TempDir
    Path dir;

    private final LoopHost host =
            new LoopHost(LoopHost.member(A, "dir-a"), LoopHost.member(B, "dir-b"), LoopHost.member(C, "dir-c"));
    private final HeldStateStore store = new HeldStateStore(ALL_IN_SYNC);
    private LeaderFixture leader;

    @BeforeEach
    void lead() throws Exception {
        leader = new LeaderFixture(
                dir, 0, ALL_IN_SYNC, 2, Duration.ZERO, store, host, new ManualClock(), new ManualTicker());
    }

    @AfterEach
    void close() throws Exception {
        leader.close();
    }

    @Test
    void anIsrShrinkIsReportedOnceZooKeeperHoldsIt() throws Exception {
        leader.answersFailed(C, "dir-c");
        HeldStateStore.Write shrink = store.nextWrite();
        host.runLoop();
        assertTrue(host.isrChanges.isEmpty(), "not before the write succeeded: " + host.isrChanges);

        shrink.succeed();
        host.runLoop();

        assertEquals(List.of(List.of(A, B)), host.isrChanges);
    }

    @Test
    void eachFollowersMatchIndexIsPublishedAndClearedWhenTheSessionCloses() {
        leader.matched(B, "dir-b", 0);
        leader.write(io.understudy.sidecar.config.Durability.ASYNC);
        leader.matched(C, "dir-c", 1);

        assertEquals(Map.of(B, 0L, C, 1L), Map.copyOf(leader.session.followerMatches()));

        leader.session.close("test over");

        assertTrue(leader.session.followerMatches().isEmpty());
    }
}
