package io.understudy.sidecar.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.understudy.sidecar.testing.Cli;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/members/remove} and {@code add}, and the CLI's {@code remove-member} / {@code add-member}, against
 * real members and ZooKeeper while a client writes {@code sync} throughout.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MemberRemovalIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void removingAFollowerWhileWritingSyncFailsNoWriteAndStopsReplicatingToIt() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, "")) {
            cluster.startAll(3, DEADLINE);
            int leader = cluster.leader();
            int removed = leader % 3 + 1;
            int other = 6 - leader - removed;
            try (SyncWriter writer = new SyncWriter(cluster, leader, "s")) {
                await().atMost(DEADLINE).until(() -> writer.acknowledged().size() >= 30);

                HttpResponse<String> answer = cluster.post(other, "/v1/members/remove?member=node-" + removed);

                assertEquals(200, answer.statusCode(), answer.body());
                JsonNode body = json.readTree(answer.body());
                assertEquals("node-" + removed, body.path("member").asText());
                assertTrue(body.path("removed").asBoolean(), answer.body());
                int acked = writer.acknowledged().size();
                await().atMost(DEADLINE).until(() -> writer.acknowledged().size() >= acked + 50);
                writer.close();
                assertEquals(List.of(), writer.failures(), "sync writes that failed during the removal");
            }
            for (int m = 1; m <= 3; m++) {
                List<String> isr =
                        cluster.sidecar(m).replicas().replica(0).status().isr();
                assertFalse(isr.contains("node-" + removed), "node-" + m + " sees ISR " + isr);
            }
            long leaderEnd = logEnd(cluster, cluster.leader());
            assertTrue(
                    logEnd(cluster, removed) + 50 <= leaderEnd,
                    "the removed member is still replicated to: log end " + logEnd(cluster, removed) + ", leader's "
                            + leaderEnd);
            JsonNode members =
                    json.readTree(cluster.get(other, "/v1/status").body()).path("members");
            List<String> ids = new ArrayList<>();
            members.forEach(m -> ids.add(m.path("id").asText()));
            assertFalse(ids.contains("node-" + removed), "status still counts the removed member: " + members);

            // While it keeps running, the removed member never leads: with the leader gone, the other one takes over.
            cluster.stop(leader);
            await().atMost(DEADLINE).until(() -> cluster.leader() == other);
            HttpResponse<String> refused = cluster.write(removed, "k", "v", "async");
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals(
                    "MEMBER_REMOVED", json.readTree(refused.body()).path("code").asText());
            HttpResponse<String> ready = cluster.get(removed, "/v1/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("removed from the group"), ready.body());
        }
    }

    @Test
    void removingTheLeaderSwitchesItsPartitionOverFirst() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, "")) {
            cluster.startAll(3, DEADLINE);
            int leader = cluster.leader();
            int other = leader % 3 + 1;
            try (SyncWriter writer = new SyncWriter(cluster, other, "s")) {
                await().atMost(DEADLINE).until(() -> writer.acknowledged().size() >= 30);

                HttpResponse<String> answer = cluster.post(other, "/v1/members/remove?member=node-" + leader);

                assertEquals(200, answer.statusCode(), answer.body());
                JsonNode switched = json.readTree(answer.body()).path("switchedOver");
                assertEquals(1, switched.size(), answer.body());
                assertEquals(0, switched.get(0).path("partition").asInt());
                int acked = writer.acknowledged().size();
                await().atMost(DEADLINE).until(() -> writer.acknowledged().size() >= acked + 30);
                writer.close();
                assertEquals(List.of(), writer.failures(), "sync writes that failed during the removal");
            }
            int now = cluster.leader();
            assertNotEquals(leader, now);
            List<String> isr =
                    cluster.sidecar(now).replicas().replica(0).status().isr();
            assertFalse(isr.contains("node-" + leader), isr.toString());
            assertEquals(2, isr.size(), isr.toString());
        }
    }

    @Test
    void removalThatWouldLeaveTooFewInSyncIsRefusedAndAnUnknownMemberIsNotFound() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, "")) {
            cluster.startAll(2, DEADLINE);

            HttpResponse<String> below = cluster.post(1, "/v1/members/remove?member=node-2");
            HttpResponse<String> unknown = cluster.post(1, "/v1/members/remove?member=node-9");

            assertEquals(409, below.statusCode(), below.body());
            assertEquals(
                    "REMOVAL_BELOW_MIN_IN_SYNC",
                    json.readTree(below.body()).path("code").asText());
            assertEquals(404, unknown.statusCode(), unknown.body());
            assertEquals(
                    "UNKNOWN_MEMBER", json.readTree(unknown.body()).path("code").asText());
            assertEquals(
                    2, cluster.sidecar(1).replicas().replica(0).status().isr().size());
            assertEquals(200, cluster.write(2, "k", "v", "sync").statusCode());
        }
    }

    @Test
    void cliRemovesAndAddsBackAMemberWithJsonAnswers() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, "")) {
            cluster.startAll(3, DEADLINE);
            int follower = cluster.leader() % 3 + 1;
            String api = cluster.api(cluster.leader()).toString();

            Cli.Result remove = Cli.run("remove-member", "--api", api, "--member", "node-" + follower, "--json");

            assertEquals(0, remove.exit(), remove.err());
            JsonNode removedAnswer = json.readTree(remove.out());
            assertEquals("node-" + follower, removedAnswer.path("member").asText());
            assertTrue(removedAnswer.path("removed").asBoolean(), remove.out());
            assertTrue(removedAnswer.path("partitions").isArray(), remove.out());
            cluster.awaitIsr(2, DEADLINE);
            assertEquals(
                    200,
                    cluster.write(cluster.leader(), "while-removed", "v", "sync")
                            .statusCode());

            Cli.Result add = Cli.run("add-member", "--api", api, "--member", "node-" + follower, "--json");

            assertEquals(0, add.exit(), add.err());
            JsonNode addedAnswer = json.readTree(add.out());
            assertFalse(addedAnswer.path("removed").asBoolean(), add.out());
            assertTrue(addedAnswer.path("wasRemoved").asBoolean(), add.out());
            cluster.awaitIsr(3, DEADLINE);
            await().atMost(DEADLINE).until(() -> cluster.app(follower).keys().contains("while-removed"));

            Cli.Result unknown = Cli.run("remove-member", "--api", api, "--member", "node-9");

            assertEquals(1, unknown.exit(), unknown.out());
            assertTrue(unknown.err().contains("node-9"), unknown.err());
        }
    }

    @Test
    void removedMemberStaysOutAcrossARestartUntilAddedBack() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, "")) {
            cluster.startAll(3, DEADLINE);
            int leader = cluster.leader();
            int removed = leader % 3 + 1;
            HttpResponse<String> answer = cluster.post(leader, "/v1/members/remove?member=node-" + removed);
            assertEquals(200, answer.statusCode(), answer.body());

            cluster.stop(removed);
            cluster.start(removed);
            await().atMost(DEADLINE)
                    .until(() -> cluster.get(removed, "/v1/ready").body().contains("removed from the group"));
            cluster.writeAcknowledged(leader, 20);

            assertEquals(
                    2,
                    cluster.sidecar(leader).replicas().replica(0).status().isr().size());
            assertTrue(logEnd(cluster, removed) + 20 <= logEnd(cluster, leader), "the removed member was sent entries");

            HttpResponse<String> added = cluster.post(removed, "/v1/members/add?member=node-" + removed);

            assertEquals(200, added.statusCode(), added.body());
            cluster.awaitIsr(3, DEADLINE);
            await().atMost(DEADLINE).until(() -> cluster.app(removed).keys().contains("k19"));
        }
    }

    @Test
    void removalRunAgainSwitchesOverALeaderThatIsMarkedRemovedAlready() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, "")) {
            cluster.startAll(3, DEADLINE);
            int leader = cluster.leader();
            int other = leader % 3 + 1;
            // A removal that timed out after its mark, with balancing paused: the marked leader leads on.
            assertEquals(200, cluster.post(other, "/v1/pause").statusCode());
            try (CuratorFramework zk =
                    CuratorFrameworkFactory.newClient(cluster.zookeeperConnect(), new RetryOneTime(100))) {
                zk.start();
                zk.create().creatingParentContainersIfNeeded().forPath("/understudy/it/removed/node-" + leader);
            }
            await().atMost(DEADLINE)
                    .until(() -> cluster.sidecar(other)
                                            .replicas()
                                            .replica(0)
                                            .status()
                                            .isr()
                                            .size()
                                    == 3
                            && cluster.leader() == leader);

            HttpResponse<String> answer = cluster.post(other, "/v1/members/remove?member=node-" + leader);

            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals(1, json.readTree(answer.body()).path("switchedOver").size(), answer.body());
            assertNotEquals(leader, cluster.leader());
        }
    }

    private static long logEnd(LocalCluster cluster, int member) {
        return cluster.sidecar(member).replicas().replica(0).status().logEnd();
    }
}
