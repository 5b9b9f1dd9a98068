package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.coordination.IsrMember;
import io.understudy.sidecar.coordination.PartitionState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The leader hands a partition only to another member that is alive and in the ISR with its current data dir. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SwitchoverCheckTest {
    private static final PartitionState LED_BY_A = new PartitionState(
            7, "a", List.of(new IsrMember("a", "da"), new IsrMember("b", "db"), new IsrMember("c", "dc")), 0);
    private static final Map<String, String> ALL_LIVE = Map.of("a", "da", "b", "db", "c", "dc");
    private static final Set<String> KNOWN = Set.of("a", "b", "c");

    private static SwitchoverRefusal refusal(String target, PartitionState state, Map<String, String> live) {
        return assertThrows(SwitchoverException.class, () -> SwitchoverCheck.check(0, "a", target, state, live, KNOWN))
                .reason();
    }

    @Test
    void aLiveIsrMemberMayTakeOver() {
        assertDoesNotThrow(() -> SwitchoverCheck.check(0, "a", "b", LED_BY_A, ALL_LIVE, KNOWN));
    }

    @Test
    void theLeaderItselfIsRefused() {
        assertEquals(SwitchoverRefusal.TARGET_IS_LEADER, refusal("a", LED_BY_A, ALL_LIVE));
    }

    @Test
    void aMemberNeverSeenIsUnknown() {
        SwitchoverException e = assertThrows(
                SwitchoverException.class, () -> SwitchoverCheck.check(0, "a", "node-9", LED_BY_A, ALL_LIVE, KNOWN));
        assertEquals(SwitchoverRefusal.UNKNOWN_MEMBER, e.reason());
        assertTrue(e.getMessage().contains("[a, b, c]"), "names the members there are: " + e.getMessage());
    }

    @Test
    void aMemberWhoseSessionEndedIsNotAliveEvenWhileStillInTheIsr() {
        assertEquals(SwitchoverRefusal.TARGET_NOT_ALIVE, refusal("c", LED_BY_A, Map.of("a", "da", "b", "db")));
    }

    @Test
    void aMemberSeenBeforeButGoneFromTheIsrAndFromZooKeeperIsNotAlive() {
        PartitionState shrunk = LED_BY_A.withoutMembers(List.of("c"));
        assertEquals(SwitchoverRefusal.TARGET_NOT_ALIVE, refusal("c", shrunk, Map.of("a", "da", "b", "db")));
    }

    @Test
    void aLiveMemberOutsideTheIsrIsNotInSync() {
        PartitionState shrunk = LED_BY_A.withoutMembers(List.of("c"));
        SwitchoverException e = assertThrows(
                SwitchoverException.class, () -> SwitchoverCheck.check(0, "a", "c", shrunk, ALL_LIVE, KNOWN));
        assertEquals(SwitchoverRefusal.TARGET_NOT_IN_SYNC, e.reason());
        assertTrue(e.getMessage().contains("choose one of [b]"), e.getMessage());
    }

    @Test
    void aMemberBackWithAnotherDataDirectoryIsNotInSync() {
        assertEquals(
                SwitchoverRefusal.TARGET_NOT_IN_SYNC,
                refusal("c", LED_BY_A, Map.of("a", "da", "b", "db", "c", "new-empty-dir")));
    }
}
