package io.understudy.sidecar.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.coordination.ZkPaths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

/** Epoch fencing and ZooKeeper session loss (docs/design.md rules 2 and 3) on a real ZooKeeper. */
class FencingIT extends ThreeMemberClusterTest {
    private long epochOf(int member) {
        return cluster.sidecar(member).replicas().replica(0).status().epoch();
    }

    @Test
    void leaderWhoseSessionExpiresStepsDownAndAnotherLeadsAHigherEpoch() throws Exception {
        List<String> acked = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            assertEquals(
                    200, cluster.write(1 + i % 3, "before-" + i, "x", "sync").statusCode());
            acked.add("before-" + i);
        }
        int oldLeader = cluster.leader();
        long oldEpoch = epochOf(oldLeader);

        cluster.expireSession(oldLeader);

        await().atMost(DEADLINE).until(() -> {
            int leader = cluster.leader();
            return leader > 0
                            && epochOf(leader) > oldEpoch
                            && !cluster.sidecar(oldLeader).replicas().replica(0).isLeader()
                    || leader == oldLeader && epochOf(leader) > oldEpoch;
        });
        await().atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(100))
                .until(() ->
                        cluster.write(1 + (oldLeader % 3), "after", "x", "sync").statusCode() == 200);
        acked.add("after");
        for (int m = 1; m <= 3; m++) {
            int member = m;
            await().atMost(DEADLINE).until(() -> cluster.app(member).keys().containsAll(acked));
            assertEquals(List.of(), cluster.app(member).anomalies());
        }
        assertEquals(cluster.app(1).applied(), cluster.app(2).applied());
        assertEquals(cluster.app(1).applied(), cluster.app(3).applied());
    }

    @Test
    void leaderStepsDownWhenAHigherEpochAppearsInZooKeeper() throws Exception {
        int leader = cluster.leader();
        ObjectMapper json = new ObjectMapper();
        String path = new ZkPaths("it").state(0);
        try (CuratorFramework zk =
                CuratorFrameworkFactory.newClient(cluster.zookeeperConnect(), new RetryOneTime(100))) {
            zk.start();
            Stat stat = new Stat();
            PartitionState current =
                    json.readValue(zk.getData().storingStatIn(stat).forPath(path), PartitionState.class);
            PartitionState usurped = current.ledBy("node-9", current.epoch() + 5);

            zk.setData().withVersion(stat.getVersion()).forPath(path, json.writeValueAsBytes(usurped));

            await().atMost(DEADLINE)
                    .until(() -> !cluster.sidecar(leader).replicas().replica(0).isLeader()
                            || epochOf(leader) > usurped.epoch());
            var during = cluster.write(leader, "during", "x", "sync");
            assertTrue(
                    during.statusCode() == 503
                            || json.readTree(during.body()).get("epoch").asLong() > usurped.epoch(),
                    () -> "nothing is acknowledged in an epoch at or below the usurper's: " + during.body());
            // The real latch holder claims past the usurper's epoch: writes resume in a higher epoch.
            await().atMost(DEADLINE)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> cluster.write(1, "resumed", "x", "sync").statusCode() == 200);
            assertTrue(epochOf(cluster.leader()) > usurped.epoch());
        }
    }
}
