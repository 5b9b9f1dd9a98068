package io.understudy.sidecar.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The probes a load balancer or Kubernetes asks, on a real group and a real ZooKeeper that goes away. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HealthEndpointsIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** LocalCluster's zookeeper.sessionTimeoutMs. */
    private static final Duration SESSION_TIMEOUT = Duration.ofMillis(3000);

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    private int status(LocalCluster cluster, int member, String path) throws Exception {
        return cluster.get(member, path).statusCode();
    }

    @Test
    void leaderProbeAnswers200OnExactlyOneMemberAndReadyOnAll() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, "")) {
            cluster.startAll(3, DEADLINE);
            int leader = cluster.leader();
            // Every member must have seen the leader's claim (through its state watch) to be ready.
            await().atMost(DEADLINE).until(() -> {
                for (int m = 1; m <= 3; m++) if (status(cluster, m, "/v1/ready") != 200) return false;
                return true;
            });

            for (int m = 1; m <= 3; m++) {
                assertEquals(m == leader ? 200 : 503, status(cluster, m, "/v1/leader?partition=0"), "member " + m);
                assertEquals(m == leader ? 503 : 200, status(cluster, m, "/v1/replica?partition=0"), "member " + m);
                assertEquals(200, status(cluster, m, "/v1/health"), "member " + m);
            }
            JsonNode ready = json.readTree(cluster.get(leader, "/v1/ready").body());
            assertTrue(ready.path("ready").asBoolean(), ready.toString());
            JsonNode notLeader = json.readTree(
                    cluster.get(leader % 3 + 1, "/v1/leader?partition=0").body());
            assertTrue(notLeader.path("reasons").size() > 0, notLeader.toString());
            assertEquals(400, status(cluster, 1, "/v1/leader?partition=4294967296"));
            assertEquals(404, status(cluster, 1, "/v1/leader?partition=3"));

            // maxLag: writes the apps have applied keep every member within 0 entries once delivery catches up.
            assertEquals(200, cluster.write(leader, "k", "v", "sync").statusCode());
            await().atMost(DEADLINE).until(() -> status(cluster, leader % 3 + 1, "/v1/ready?maxLag=0") == 200);
        }
    }

    @Test
    void readyTurns503WhenZooKeeperGoesAndBackWhenItReturns() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, "")) {
            cluster.startAll(3, DEADLINE);
            await().atMost(DEADLINE).until(() -> status(cluster, 1, "/v1/ready") == 200);

            cluster.stopZooKeeper();

            await().atMost(SESSION_TIMEOUT).until(() -> status(cluster, 1, "/v1/ready") == 503);
            JsonNode notReady = json.readTree(cluster.get(1, "/v1/ready").body());
            assertTrue(notReady.path("reasons").toString().contains("ZooKeeper"), notReady.toString());
            assertEquals(200, status(cluster, 1, "/v1/health"), "liveness does not depend on ZooKeeper");

            cluster.restartZooKeeper();

            await().atMost(DEADLINE).until(() -> status(cluster, 1, "/v1/ready") == 200);
        }
    }
}
