package io.understudy.sidecar.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.understudy.sidecar.testing.RecordingApp.RoleNotice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Role notices are a state, not an event: every app hears its member's current role, the leader and the epoch at
 * start and after every change, and a refused notice is sent again until the app takes it.
 */
class RoleNoticeIT extends ThreeMemberClusterTest {

    private long epochOf(int leader) {
        return cluster.sidecar(leader).replicas().replica(0).status().epoch();
    }

    private void awaitEveryAppHears(List<Integer> members, int leader) {
        long epoch = epochOf(leader);
        for (int m : members) {
            RoleNotice expected = new RoleNotice(0, m == leader ? "leader" : "follower", epoch, "node-" + leader);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Objects.equals(cluster.app(m).lastRole(0), expected));
        }
    }

    private int newLeaderAfterStopping(int old) {
        cluster.stop(old);
        await().atMost(DEADLINE).until(() -> cluster.leader() > 0 && cluster.leader() != old);
        return cluster.leader();
    }

    private static List<Integer> allBut(int member) {
        List<Integer> rest = new ArrayList<>(List.of(1, 2, 3));
        rest.remove(Integer.valueOf(member));
        return rest;
    }

    @Test
    void followersHearFollowerWithTheLeaderAtStart() {
        awaitEveryAppHears(List.of(1, 2, 3), cluster.leader());
    }

    @Test
    void afterALeaderChangeEveryAppHearsTheNewLeaderAndEpoch() {
        int old = cluster.leader();

        int leader = newLeaderAfterStopping(old);

        awaitEveryAppHears(allBut(old), leader);
    }

    @Test
    void restartedFormerLeaderHearsItFollows() throws Exception {
        int old = cluster.leader();
        int leader = newLeaderAfterStopping(old);

        cluster.start(old);

        awaitEveryAppHears(List.of(1, 2, 3), leader);
        assertEquals("follower", cluster.app(old).lastRole(0).role());
    }

    @Test
    void aRefusedNoticeIsSentAgainUntilTheAppTakesIt() {
        int old = cluster.leader();
        List<Integer> survivors = allBut(old);
        survivors.forEach(m -> cluster.app(m).refuseRoles(true));
        int leader = newLeaderAfterStopping(old);

        survivors.forEach(m -> cluster.app(m).refuseRoles(false));

        awaitEveryAppHears(survivors, leader);
    }

    @Test
    void appRestartedWithEmptyMemoryHearsItsRoleAgain() throws Exception {
        int leader = cluster.leader();
        assertEquals(200, cluster.write(leader, "a", "{}", "sync").statusCode());
        for (int m = 1; m <= 3; m++) {
            int member = m;
            await().atMost(DEADLINE).until(() -> cluster.app(member).appliedIndex(0) == 1);
        }
        awaitEveryAppHears(List.of(1, 2, 3), leader);

        List.of(1, 2, 3).forEach(m -> cluster.app(m).forget());

        awaitEveryAppHears(List.of(1, 2, 3), leader);
    }
}
