package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.coordination.IsrMember;
import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.coordination.Versioned;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The unclean-election grace is measured with monotonic time: setting the wall clock does not cut it short. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class IsrTakeoverTest {
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final Versioned<PartitionState> DEAD_ISR =
            new Versioned<>(new PartitionState(3, "node-a", List.of(new IsrMember("node-a", "dir-a")), 0), 7);

    private final ManualClock wall = new ManualClock();
    private final ManualTicker ticker = new ManualTicker();
    private final HeldStateStore store = new HeldStateStore(DEAD_ISR);
    private final IsrTakeover takeover = new IsrTakeover(
            0,
            new IsrMember("node-b", "dir-b"),
            store,
            new FakeMembership(LoopHost.member("node-b", "dir-b")),
            true,
            GRACE,
            wall,
            ticker,
            () -> 42);

    @Test
    void aWallClockJumpOfAnHourForwardDoesNotEndTheUncleanGrace() throws Exception {
        assertNull(takeover.considerUnclean(DEAD_ISR).getNow(DEAD_ISR), "the grace has just begun");
        wall.jump(Duration.ofHours(1));

        takeover.considerUnclean(DEAD_ISR);
        assertTrue(store.noWriteAsked(), "took the ISR although the grace has not passed");
    }

    @Test
    void aWallClockSetBackDoesNotStretchTheUncleanGrace() throws Exception {
        assertNull(takeover.considerUnclean(DEAD_ISR).getNow(DEAD_ISR), "the grace has just begun");
        wall.jump(Duration.ofHours(-1));
        ticker.advance(GRACE);

        takeover.considerUnclean(DEAD_ISR);
        HeldStateStore.Write take = store.nextWrite();
        assertEquals(List.of("node-b"), take.next().isrMemberIds());
        assertEquals(DEAD_ISR.version(), take.expectedVersion());
    }
}
