package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.understudy.sidecar.coordination.MemberInfo;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 6 item 6: status never names a leader that is not leading. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ReplicaStatusTest {
    private static ReplicaStatus follower(String leader, long epoch) {
        return new ReplicaStatus(0, ReplicaRole.FOLLOWER, leader, epoch, 10, 10, List.of("a", "b"), 0, null, 0, null);
    }

    private static Map<String, MemberInfo> heartbeat(String id, long leadingEpoch) {
        return Map.of(
                id,
                new MemberInfo(
                        id,
                        "http://" + id,
                        "dev",
                        0,
                        "d",
                        0,
                        Map.of(0, new MemberInfo.PartitionProgress(10, 10, 3, leadingEpoch)),
                        true));
    }

    @Test
    void leaderIsNamedWhileItsHeartbeatSaysItLeadsThisEpoch() {
        assertEquals("a", follower("a", 3).confirmedLeader(heartbeat("a", 3)));
    }

    @Test
    void memberTheStateStillNamesIsNotNamedWhenItSaysItFollowsOrIsGone() {
        assertNull(follower("a", 3).confirmedLeader(heartbeat("a", 0)), "it says it is a follower");
        assertNull(follower("a", 3).confirmedLeader(heartbeat("a", 2)), "it leads an older epoch");
        assertNull(follower("a", 3).confirmedLeader(Map.of()), "it is not alive");
    }

    @Test
    void thisMemberIsNamedOnlyWhileItLeads() {
        ReplicaStatus leading =
                new ReplicaStatus(0, ReplicaRole.LEADER, "b", 3, 10, 10, List.of("b"), 0, null, 0, null);
        assertEquals("b", leading.confirmedLeader(Map.of()));
    }

    @Test
    void furthestLogEndIsTheHighestOfItsOwnAndTheLiveMembersHeartbeats() {
        assertEquals(10, follower("a", 3).furthestLogEnd(Map.of()));
        Map<String, MemberInfo> ahead = Map.of(
                "c",
                new MemberInfo(
                        "c",
                        "http://c",
                        "dev",
                        0,
                        "d",
                        0,
                        Map.of(0, new MemberInfo.PartitionProgress(25, 0, 3, 0)),
                        true));
        assertEquals(25, follower("a", 3).furthestLogEnd(ahead));
    }

    @Test
    void replicaSetIsTheLiveMembersAndTheIsrMembersAliveOrNot() {
        assertEquals(java.util.Set.of("a", "b", "c"), follower("a", 3).replicaSet(heartbeat("c", 0)));
        assertEquals(java.util.Set.of("a", "b"), follower("a", 3).replicaSet(Map.of()));
    }
}
