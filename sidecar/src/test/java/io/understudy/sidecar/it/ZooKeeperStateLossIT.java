package io.understudy.sidecar.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.understudy.sidecar.cli.RecoverZooKeeperCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 8 item 6: ZooKeeper forgets the group (its znodes vanish: a wiped ensemble, a new one at the same
 * address). A member that holds data must never follow, or be overwritten by, a group that ZooKeeper started
 * afresh: it refuses loudly (its partition goes FAILED, naming the way back) and keeps every entry it has.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ZooKeeperStateLossIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void membersWithDataRefuseTheGroupAnEmptyMemberStartedAfterZooKeeperForgotIt() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, ", minInSync: 1")) {
            cluster.startAll(3, DEADLINE);
            cluster.writeAcknowledged(cluster.leader(), 20);
            cluster.awaitApplied(3, 20, DEADLINE);
            for (int m = 1; m <= 3; m++) cluster.stop(m);
            forgetGroup(cluster);

            cluster.start(4); // an empty member starts first and takes the forgotten group's partition
            await().atMost(DEADLINE).until(() -> cluster.leader() == 4);
            for (int m = 1; m <= 3; m++) cluster.start(m);

            for (int m = 1; m <= 3; m++) {
                int member = m;
                await().atMost(DEADLINE)
                        .until(() -> cluster.sidecar(member)
                                        .replicas()
                                        .replica(0)
                                        .status()
                                        .failure()
                                != null);
                String failure =
                        cluster.sidecar(member).replicas().replica(0).status().failure();
                assertTrue(failure.contains("ZooKeeper"), failure);
                assertEquals(
                        20, cluster.sidecar(member).replicas().replica(0).log().logEnd(), "entries kept");
                assertEquals(20, cluster.app(member).applied(0).size(), "the app keeps its items");
                assertNotEquals(200, cluster.write(member, "new", "x", "sync").statusCode());
            }
        }
    }

    @Test
    void membersWithDataRefuseWhenTheyFindTheGroupForgotten() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, "")) {
            cluster.startAll(3, DEADLINE);
            cluster.writeAcknowledged(cluster.leader(), 20);
            for (int m = 1; m <= 3; m++) cluster.stop(m);
            forgetGroup(cluster);

            for (int m = 1; m <= 3; m++) cluster.start(m);

            for (int m = 1; m <= 3; m++) {
                int member = m;
                await().atMost(DEADLINE)
                        .until(() -> cluster.sidecar(member)
                                        .replicas()
                                        .replica(0)
                                        .status()
                                        .failure()
                                != null);
                assertEquals(
                        20, cluster.sidecar(member).replicas().replica(0).log().logEnd(), "entries kept");
            }
            assertEquals(-1, cluster.leader(), "nobody leads a group ZooKeeper forgot");
        }
    }

    @Test
    void recoverZooKeeperWritesTheStateBackFromTheMostCompleteMember() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, "")) {
            cluster.startAll(3, DEADLINE);
            cluster.writeAcknowledged(cluster.leader(), 20);
            cluster.awaitApplied(3, 20, DEADLINE);
            for (int m = 1; m <= 3; m++) cluster.stop(m);
            forgetGroup(cluster);

            ByteArrayOutputStream dryRun = new ByteArrayOutputStream();
            assertEquals(
                    0,
                    new CommandLine(new RecoverZooKeeperCommand(new PrintStream(dryRun, true, StandardCharsets.UTF_8)))
                            .execute("--config", cluster.configFile(2).toString(), "--dry-run", "--json"));
            JsonNode planned = new ObjectMapper()
                    .readTree(dryRun.toByteArray())
                    .get("partitions")
                    .get(0);
            assertEquals("would-write", planned.get("action").asText());
            assertEquals(20, planned.get("logEnd").asLong());

            int exit = new CommandLine(new RecoverZooKeeperCommand())
                    .execute("--config", cluster.configFile(2).toString());
            assertEquals(0, exit);

            for (int m = 1; m <= 3; m++) cluster.start(m);
            cluster.awaitIsr(3, DEADLINE);
            int leader = cluster.leader();
            assertEquals(200, cluster.write(leader, "after", "x", "sync").statusCode());
            cluster.awaitApplied(3, 21, DEADLINE);
            for (int m = 1; m <= 3; m++) {
                assertEquals(21, cluster.sidecar(m).replicas().replica(0).log().logEnd(), "node-" + m);
            }
        }
    }

    /** What a wiped ensemble looks like to the members: the group's znodes are gone. */
    private static void forgetGroup(LocalCluster cluster) throws Exception {
        try (CuratorFramework zk =
                CuratorFrameworkFactory.newClient(cluster.zookeeperConnect(), new RetryOneTime(100))) {
            zk.start();
            zk.delete().deletingChildrenIfNeeded().forPath("/understudy/it");
        }
    }
}
