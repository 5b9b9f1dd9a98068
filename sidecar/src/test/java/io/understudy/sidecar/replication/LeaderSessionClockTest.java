package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.coordination.IsrMember;
import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.coordination.Versioned;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A leader measures replica lag and its balance delay with monotonic time: setting the wall clock changes neither. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class LeaderSessionClockTest {
    private static final String A = "node-a";
    private static final String C = "node-c";

    @TempDir
    Path dir;

    private final ManualClock wall = new ManualClock();
    private final ManualTicker ticker = new ManualTicker();
    private final LoopHost host = new LoopHost(LoopHost.member(A, "dir-a"), LoopHost.member(C, "dir-c"));
    private final HeldStateStore store = new HeldStateStore(bothInSync());
    private LeaderFixture leader;
    private LeaderSession session;

    private static Versioned<PartitionState> bothInSync() {
        return new Versioned<>(
                new PartitionState(1, A, List.of(new IsrMember(A, "dir-a"), new IsrMember(C, "dir-c")), 0), 5);
    }

    private void lead(int partition, Duration balanceDelay) throws Exception {
        leader = new LeaderFixture(dir, partition, bothInSync(), 2, balanceDelay, store, host, wall, ticker);
        session = leader.session;
    }

    @AfterEach
    void close() throws Exception {
        if (leader != null) leader.close();
    }

    private void followerCaughtUp() {
        leader.matched(C, "dir-c", 0);
    }

    @Test
    void aWallClockJumpOfAnHourForwardShrinksNoIsrMember() throws Exception {
        lead(0, Duration.ZERO);
        followerCaughtUp();

        wall.jump(Duration.ofHours(1));
        session.maintain();
        host.runLoop();

        assertTrue(store.noWriteAsked(), "the ISR must not shrink because the wall clock moved");
    }

    @Test
    void aWallClockSetBackAndForwardAgainShrinksNoIsrMember() throws Exception {
        lead(0, Duration.ZERO);
        wall.jump(Duration.ofHours(-1));
        followerCaughtUp(); // recorded an hour "ago" by the wall clock
        wall.jump(Duration.ofHours(1)); // NTP puts the clock right again
        session.maintain();
        host.runLoop();

        assertTrue(store.noWriteAsked(), "the ISR must not shrink because the wall clock moved");
    }

    @Test
    void aMemberThatStopsCatchingUpStillLeavesTheIsrAfterTheLagMaximum() throws Exception {
        lead(0, Duration.ZERO);
        followerCaughtUp();
        wall.jump(Duration.ofHours(-1)); // a wall clock set back must not keep it in either

        ticker.advance(LeaderFixture.LAG_MAX.plusSeconds(1));
        session.maintain();
        host.runLoop();

        HeldStateStore.Write shrink = store.nextWrite();
        assertEquals(List.of(A), shrink.next().isrMemberIds());
    }

    @Test
    void aWallClockJumpForwardDoesNotCutTheBalanceDelayShort() throws Exception {
        // Partition 1's preferred leader among [node-a, node-c] is node-c: node-a hands over once it has led
        // for the balance delay and node-c is caught up.
        lead(1, Duration.ofMinutes(1));
        wall.jump(Duration.ofHours(1));
        followerCaughtUp();
        session.maintain();
        host.runLoop();

        assertTrue(host.handOvers.isEmpty(), "handed over after leading for no time at all: " + host.handOvers);

        ticker.advance(Duration.ofMinutes(1));
        followerCaughtUp();
        session.maintain();
        host.runLoop();
        assertEquals(1, host.handOvers.size(), "the balance delay has passed");
    }

    @Test
    void aPausedGroupIsNotBalancedUntilItResumes() throws Exception {
        lead(1, Duration.ofMinutes(1));
        host.paused = true;
        ticker.advance(Duration.ofMinutes(2));
        followerCaughtUp();
        session.maintain();
        host.runLoop();

        assertTrue(host.handOvers.isEmpty(), "handed over while paused: " + host.handOvers);

        host.paused = false;
        followerCaughtUp();
        session.maintain();
        host.runLoop();
        assertEquals(1, host.handOvers.size(), "balanced once resumed");
    }
}
