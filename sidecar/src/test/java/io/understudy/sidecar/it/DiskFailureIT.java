package io.understudy.sidecar.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.understudy.sidecar.testing.FailingForce;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member whose fsync fails (injected through its logs' force seam) stops that partition for good: FAILED in
 * status, health and metrics, out of the election, never answering a write as done; the rest of the group goes on.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DiskFailureIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private final ObjectMapper json = new ObjectMapper();
    private final Map<Integer, FailingForce> disks = new HashMap<>();

    @TempDir
    Path dir;

    private LocalCluster cluster;

    @BeforeEach
    void startCluster() throws Exception {
        cluster = new LocalCluster(dir, "");
        for (int m = 1; m <= 3; m++) {
            disks.put(m, new FailingForce());
            cluster.start(m, disks.get(m));
        }
        cluster.awaitIsr(3, DEADLINE);
        for (int i = 0; i < 5; i++)
            assertEquals(
                    200, cluster.write(1 + i % 3, "before-" + i, "x", "sync").statusCode());
    }

    @AfterEach
    void stopCluster() throws Exception {
        cluster.close();
    }

    @Test
    void followerWhoseFsyncFailsStopsForGoodAndTheGroupGoesOn() throws Exception {
        int leader = cluster.leader();
        int follower = leader % 3 + 1;
        int other = follower % 3 + 1;
        disks.get(follower).arm();

        // The follower answers FAILED to the append whose fsync failed: the leader drops it from the ISR at once
        // and commits with the other two, instead of waiting out replicaLagMaxMs.
        long start = System.nanoTime();
        var during = cluster.write(leader, "during", "x", "sync");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(200, during.statusCode(), during.body());
        assertTrue(
                took.compareTo(LocalCluster.REPLICA_LAG_MAX.dividedBy(2)) < 0,
                "a sync write waited " + took.toMillis() + " ms for a FAILED follower");
        assertTrue(cluster.sidecar(follower).replicas().replica(0).isFailed());
        assertFailedEverywhereItShows(follower);
        // ZooKeeper listed the shrunk ISR before the write committed; status shows it once the watch fires.
        await().atMost(Duration.ofSeconds(2))
                .until(() -> !cluster.sidecar(leader)
                        .replicas()
                        .replica(0)
                        .status()
                        .isr()
                        .contains("node-" + follower));
        assertEquals(
                2, cluster.sidecar(leader).replicas().replica(0).status().isr().size());
        await().atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.write(other, "after", "x", "sync").statusCode() == 200);
        assertEquals(200, cluster.write(leader, "after-2", "x", "sync").statusCode());
        var refused = cluster.write(follower, "refused", "x", "sync");
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("nothing was written"), refused.body());
        assertEquals(1, disks.get(follower).attemptsWhileArmed(), "a failed fsync is never retried");
        assertEquals(200, cluster.get(leader, "/v1/health").statusCode());
        List<String> acked = List.of("after", "after-2", "during");
        for (int m : List.of(leader, other)) {
            await().atMost(DEADLINE).until(() -> cluster.app(m).keys().containsAll(acked));
        }
    }

    @Test
    void leaderWhoseFsyncFailsStopsForGoodAndAnotherLeads() throws Exception {
        int oldLeader = cluster.leader();
        disks.get(oldLeader).arm();

        var during = cluster.write(oldLeader, "during", "x", "sync");

        assertEquals(503, during.statusCode(), during.body());
        assertTrue(during.body().contains("unknown"), () -> "not a rejection: followers may hold it: " + during.body());
        assertTrue(
                cluster.sidecar(oldLeader).replicas().replica(0).isFailed(),
                "FAILED is published before the write in flight is answered");
        assertFailedEverywhereItShows(oldLeader);
        await().atMost(DEADLINE).until(() -> cluster.leader() > 0);
        int newLeader = cluster.leader();
        assertNotEquals(oldLeader, newLeader);
        await().atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.write(newLeader, "after", "x", "sync").statusCode() == 200);
        assertEquals(1, disks.get(oldLeader).attemptsWhileArmed(), "a failed fsync is never retried");
        assertTrue(!cluster.sidecar(oldLeader).replicas().replica(0).isLeader());
    }

    private void assertFailedEverywhereItShows(int member) throws Exception {
        JsonNode partition = json.readTree(cluster.get(member, "/v1/status").body())
                .get("partitions")
                .get(0);
        assertEquals("failed", partition.get("role").asText());
        assertTrue(partition.get("failure").asText().contains("fsync"), partition::toString);

        var health = cluster.get(member, "/v1/health");
        assertEquals(503, health.statusCode(), health.body());
        assertTrue(health.body().contains("partition 0 FAILED: "), health.body());

        String metrics = cluster.get(member, "/metrics").body();
        assertTrue(
                metrics.lines()
                        .anyMatch(l -> l.startsWith("understudy_partition_failed{")
                                && l.contains("partition=\"0\"")
                                && l.endsWith(" 1.0")),
                metrics);
    }
}
