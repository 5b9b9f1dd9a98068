package io.understudy.sidecar.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.understudy.sidecar.replication.ReplicaRole;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RoleNoticeTest {

    @Test
    void aLeaderNamesItself() {
        assertEquals(new RoleNotice("leader", 3, "node-1"), RoleNotice.of(ReplicaRole.LEADER, 3, "node-1", "node-1"));
    }

    @Test
    void aCandidateIsStillAFollowerOfTheLeaderItKnows() {
        assertEquals(
                new RoleNotice("follower", 3, "node-2"), RoleNotice.of(ReplicaRole.CANDIDATE, 3, "node-2", "node-1"));
    }

    @Test
    void aMemberThatSteppedDownNamesNoLeaderUntilItSeesTheNext() {
        assertEquals(new RoleNotice("follower", 3, null), RoleNotice.of(ReplicaRole.FOLLOWER, 3, "node-1", "node-1"));
        assertEquals(new RoleNotice("failed", 3, "node-2"), RoleNotice.of(ReplicaRole.FAILED, 3, "node-2", "node-1"));
    }
}
