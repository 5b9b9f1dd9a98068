package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.coordination.IsrMember;
import io.understudy.sidecar.coordination.MemberInfo;
import io.understudy.sidecar.coordination.PartitionState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The decision of a reboot recovery (KIP-966 style): who restarts the ISR after every ISR member rebooted. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RebootRecoveryTest {
    private static final PartitionState LAST = new PartitionState(
            4, "a", List.of(new IsrMember("a", "a1"), new IsrMember("b", "b1"), new IsrMember("c", "c1")), 0);

    private static MemberInfo member(String id, String dataDirId, long lastEpoch, long logEnd) {
        return new MemberInfo(
                id,
                "http://" + id,
                "dev",
                0,
                dataDirId,
                0,
                Map.of(0, new MemberInfo.PartitionProgress(logEnd, 0, lastEpoch, 0)),
                true);
    }

    private static Optional<String> chosen(Map<String, MemberInfo> live) {
        return RebootRecovery.choose(0, LAST, live).map(RebootRecovery.Choice::member);
    }

    @Test
    void mostCompleteMemberIsChosenOnceEveryLastIsrMemberIsBackWithAnotherDataDir() {
        Map<String, MemberInfo> live = new HashMap<>();
        live.put("a", member("a", "a2", 4, 90));
        live.put("b", member("b", "b2", 4, 97));
        assertEquals(Optional.empty(), chosen(live), "c is not back yet: it may hold more");
        live.put("c", member("c", "c2", 3, 120));
        assertEquals(Optional.of("b"), chosen(live), "the highest (last epoch, log end) wins, not the longest log");
    }

    @Test
    void noRecoveryWhileAnIsrMemberCanLead() {
        Map<String, MemberInfo> live = new HashMap<>();
        live.put("a", member("a", "a1", 4, 90)); // kept its data dir: it may lead the normal way
        live.put("b", member("b", "b2", 4, 97));
        live.put("c", member("c", "c2", 4, 97));
        assertEquals(Optional.empty(), chosen(live));
    }

    @Test
    void equalPositionsChooseTheLowestMemberIdSoEveryMemberAgrees() {
        Map<String, MemberInfo> live = new HashMap<>();
        live.put("c", member("c", "c2", 4, 97));
        live.put("b", member("b", "b2", 4, 97));
        live.put("a", member("a", "a2", 4, 50));
        assertEquals(Optional.of("b"), chosen(live));
    }

    @Test
    void recoveredStateHasOnlyTheChosenMemberAndSaysWhatMayBeLost() {
        Map<String, MemberInfo> live =
                Map.of("a", member("a", "a2", 4, 90), "b", member("b", "b2", 4, 97), "c", member("c", "c2", 4, 95));
        RebootRecovery.Choice choice = RebootRecovery.choose(0, LAST, live).orElseThrow();
        PartitionState next = choice.recoveredState(LAST, 1234);
        assertEquals(List.of(new IsrMember("b", "b2")), next.isr());
        assertEquals(4, next.epoch());
        assertEquals(1234, next.recoveredAt());
        assertTrue(next.possibleLoss().contains("after index 97"), next.possibleLoss());
    }
}
