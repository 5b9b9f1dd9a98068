package io.understudy.sidecar.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6 item 5: a follower stopped abruptly leaves its ephemeral member znode behind until its old ZooKeeper
 * session expires; garbage appended to its largest log file makes its next start rotate its data dir id. Restarted
 * while that stale znode (naming the old data dir id) still exists, it must not be judged by it: the leader's ISR
 * must not flap between the old and the new id, and writes through the restarted member must reach the leader as
 * soon as it names one. The stale znode is held here by a session of the test's own, which "expires" (closes) when
 * the test says so: that makes the window as long as a real session time-out, deterministically.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class StaleMembershipIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void followerRestartedWithGarbageBesideItsStaleZnodeNeitherFlapsTheIsrNorRefusesWrites() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, "");
                CuratorFramework oldSession = CuratorFrameworkFactory.newClient(
                        cluster.zookeeperConnect(), 15_000, 5_000, new RetryOneTime(100))) {
            oldSession.start();
            cluster.startAll(3, DEADLINE);
            int leader = cluster.leader();
            cluster.writeAcknowledged(leader, 20);
            int follower = leader == 1 ? 2 : 1;
            String memberPath = "/understudy/it/members/node-" + follower;
            byte[] oldZnode = oldSession.getData().forPath(memberPath);

            cluster.stop(follower);
            cluster.awaitIsr(2, DEADLINE);
            appendGarbageToLargestLogFile(dir.resolve("node-" + follower), 37);
            // What a kill -9 leaves: the previous process's znode, alive until its session expires (here after 6 s).
            oldSession.create().withMode(CreateMode.EPHEMERAL).forPath(memberPath, oldZnode);
            int versionBefore = stateVersion(oldSession);
            CompletableFuture<Void> expired = CompletableFuture.runAsync(
                    () -> {
                        try {
                            oldSession.delete().forPath(memberPath);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    CompletableFuture.delayedExecutor(6, TimeUnit.SECONDS));

            CompletableFuture<Void> restarted = CompletableFuture.runAsync(() -> {
                try {
                    cluster.start(follower);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // Once the restarted member's status names a leader, a write through it must reach that leader.
            JsonNode named = await("the restarted member names a leader")
                    .atMost(DEADLINE)
                    .pollInterval(Duration.ofMillis(50))
                    .ignoreExceptions()
                    .until(
                            () -> partition0(cluster, follower),
                            p -> !p.path("leader").isNull());
            HttpResponse<String> through = cluster.write(follower, "through-restarted", "x", "sync");
            expired.get(30, TimeUnit.SECONDS);
            restarted.get(30, TimeUnit.SECONDS);
            cluster.awaitIsr(3, DEADLINE);
            int changes = stateVersion(oldSession) - versionBefore;

            assertTrue(changes <= 2, "the ISR changed " + changes + " times: it flapped");
            assertEquals("node-" + leader, named.path("leader").asText(), named.toString());
            assertEquals(200, through.statusCode(), "a write through the restarted member: " + through.body());
        }
    }

    private static int stateVersion(CuratorFramework zk) throws Exception {
        Stat stat = zk.checkExists().forPath("/understudy/it/partitions/0/state");
        return stat.getVersion();
    }

    private static JsonNode partition0(LocalCluster cluster, int member) throws Exception {
        return JSON.readTree(cluster.get(member, "/v1/status").body())
                .path("partitions")
                .get(0);
    }

    /** What the report did by hand: random bytes after the last record of the member's largest log file. */
    private static void appendGarbageToLargestLogFile(Path dataDir, int bytes) throws Exception {
        Path largest;
        try (Stream<Path> files = Files.walk(dataDir)) {
            largest = files.filter(f -> f.toString().endsWith(".log"))
                    .max(Comparator.comparingLong(f -> f.toFile().length()))
                    .orElseThrow(() -> new IllegalStateException("no log file under " + dataDir));
        }
        byte[] garbage = new byte[bytes];
        new Random(37).nextBytes(garbage);
        try (FileChannel channel = FileChannel.open(largest, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap(garbage));
        }
    }
}
