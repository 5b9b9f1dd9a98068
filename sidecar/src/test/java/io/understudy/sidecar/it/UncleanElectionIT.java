package io.understudy.sidecar.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replication.uncleanElection}: when every ISR member is gone, a member outside the ISR may lead only
 * when the operator allowed it, and the status says it happened.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UncleanElectionIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** Leaves member 1 or 2 (not in the ISR) alive after the ISR's only member stopped. */
    private int loseTheWholeIsr(LocalCluster cluster) throws Exception {
        cluster.startAll(3, DEADLINE);
        int leader = cluster.leader();
        for (int m = 1; m <= 3; m++) if (m != leader) cluster.stop(m);
        cluster.awaitIsr(1, DEADLINE);
        assertEquals(
                200, cluster.write(leader, "only-on-the-leader", "x", "async").statusCode());
        cluster.stop(leader);
        int survivor = leader == 1 ? 2 : 1;
        cluster.start(survivor);
        return survivor;
    }

    @Test
    void withoutTheOptionNoMemberOutsideTheIsrLeads() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, "")) {
            int survivor = loseTheWholeIsr(cluster);

            // The condition must hold for a while (past the unclean grace of 2 x sessionTimeoutMs): nothing else shows
            // it.
            await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(12)).until(() -> cluster.leader() < 0);
            assertEquals(503, cluster.write(survivor, "k", "x", "async").statusCode());
        }
    }

    @Test
    void withTheOptionASurvivorLeadsAndStatusSaysItWasUnclean() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, ", uncleanElection: true")) {
            int survivor = loseTheWholeIsr(cluster);

            await().atMost(DEADLINE).until(() -> cluster.leader() == survivor);
            assertEquals(200, cluster.write(survivor, "after", "x", "async").statusCode());
            var status = cluster.get(survivor, "/v1/status");
            assertTrue(status.body().contains("uncleanElectionAt"), status.body());
        }
    }
}
