package io.understudy.sidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.coordination.IsrMember;
import io.understudy.sidecar.coordination.PartitionState;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class GroupStateRecoveryTest {
    private final GroupStateRecovery member = new GroupStateRecovery("node-2", "dir-2", 4, 42, 20, 3);

    @Test
    void aMissingStateIsWrittenBackWithThisMemberAloneAtItsKnownEpoch() {
        PartitionState written = member.plan(null, 1000, 99).orElseThrow();
        assertEquals(4, written.epoch());
        assertEquals(List.of(new IsrMember("node-2", "dir-2")), written.isr());
        assertEquals(42, written.incarnation(), "the incarnation the members recorded");
        assertEquals(1000, written.recoveredAt());
        assertTrue(written.possibleLoss().contains("log end 20"), written.possibleLoss());
    }

    @Test
    void aRestoredStateHasThisMemberAloneUnderTheFreshIncarnationNotTheRecordedOne() {
        PartitionState written = member.restored(1000, 99, "the backup taken at T");
        assertEquals(4, written.epoch());
        assertEquals(List.of(new IsrMember("node-2", "dir-2")), written.isr());
        assertEquals(99, written.incarnation(), "a restored group is a new incarnation");
        assertEquals(1000, written.recoveredAt());
        assertTrue(written.possibleLoss().contains("restored from the backup taken at T"), written.possibleLoss());
    }

    @Test
    void aStateZooKeeperStartedAfreshIsReplaced() {
        assertTrue(member.plan(PartitionState.newIncarnation(7).ledBy("node-4", 1), 1000, 99)
                .isPresent());
    }

    @Test
    void theGroupsOwnStateNeedsNoRecovery() {
        PartitionState own = PartitionState.newIncarnation(42).ledBy("node-1", 4);
        assertTrue(member.plan(own, 1000, 99).isEmpty());
    }

    @Test
    void anOlderCopyOfTheGroupsStateIsReplaced() {
        PartitionState older = PartitionState.newIncarnation(42).ledBy("node-1", 2);
        assertEquals(4, member.plan(older, 1000, 99).orElseThrow().epoch());
    }

    @Test
    void dataWithoutARecordedIncarnationGetsAFreshOne() {
        var legacy = new GroupStateRecovery("node-2", "dir-2", 4, 0, 20, 3);
        assertEquals(99, legacy.plan(null, 1000, 99).orElseThrow().incarnation());
    }
}
