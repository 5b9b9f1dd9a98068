package io.understudy.sidecar.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.understudy.sidecar.testing.Cli;
import io.understudy.sidecar.testing.RecordingApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 item 5, the drill: write, back up, lose the group (members stopped, ZooKeeper's znodes and every data dir
 * and app state gone), restore one member, start it after two empty members, and every item the backup covers is in
 * every app, nothing written after it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BackupRestoreDrillIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final int BACKED_UP = 40;

    @TempDir
    Path dir;

    @Test
    void aGroupLostEntirelyComesBackFromABackupIntoOneMemberAndTwoEmptyOnes() throws Exception {
        Path backup = dir.resolve("backup");
        try (LocalCluster cluster = new LocalCluster(dir.resolve("group"), "")) {
            cluster.startAll(3, DEADLINE);
            cluster.writeAcknowledged(cluster.leader(), BACKED_UP);
            int follower = cluster.leader() % 3 + 1; // any member serves a backup: take it from a follower
            await().atMost(DEADLINE)
                    .until(() -> cluster.sidecar(follower).replicas().replica(0).commitIndex() >= BACKED_UP);

            Cli.Result taken =
                    Cli.run("backup", "--api", cluster.api(follower).toString(), "--out", backup.toString(), "--json");
            assertEquals(0, taken.exit(), taken.err() + taken.out());
            JsonNode covered =
                    new ObjectMapper().readTree(taken.out()).get("covered").get(0);
            assertEquals(BACKED_UP, covered.get("coveredIndex").asLong(), taken.out());
            assertEquals(
                    200,
                    cluster.write(cluster.leader(), "late", "after the backup", "sync")
                            .statusCode());

            for (int m = 1; m <= 3; m++) cluster.stop(m);
            loseEverything(cluster);

            Cli.Result restored =
                    Cli.run("restore", "--config", cluster.configFile(1).toString(), "--from", backup.toString());
            assertEquals(0, restored.exit(), restored.err() + restored.out());
            assertTrue(restored.out().contains("restored up to index " + BACKED_UP), restored.out());

            cluster.start(2); // empty members first: the state the restore wrote keeps them from leading
            cluster.start(3);
            cluster.start(1);
            cluster.awaitIsr(3, DEADLINE);
            assertEquals(1, cluster.leader(), "only the restored member can lead");
            for (int m = 1; m <= 3; m++) {
                RecordingApp app = cluster.app(m);
                await().atMost(DEADLINE).until(() -> app.applied(0).size() >= BACKED_UP);
                List<RecordingApp.Applied> applied = app.applied(0);
                assertEquals(BACKED_UP, applied.size(), "node-" + m + " holds exactly what the backup covers");
                for (int i = 0; i < BACKED_UP; i++) {
                    assertEquals(i + 1, applied.get(i).index());
                    assertEquals("k" + i, applied.get(i).key());
                    assertEquals("v" + i, applied.get(i).payload());
                }
                assertEquals(List.of(), app.anomalies(), "node-" + m);
            }
            assertEquals(
                    200, cluster.write(2, "next", "after the restore", "sync").statusCode());
            cluster.awaitApplied(3, BACKED_UP + 1, DEADLINE);
        }
    }

    @Test
    void restoreRefusesARunningGroupAndAGroupZooKeeperStillHolds() throws Exception {
        Path backup = dir.resolve("backup");
        try (LocalCluster cluster = new LocalCluster(dir.resolve("group"), "")) {
            cluster.startAll(3, DEADLINE);
            cluster.writeAcknowledged(cluster.leader(), 5);
            assertEquals(
                    0,
                    Cli.run("backup", "--api", cluster.api(cluster.leader()).toString(), "--out", backup.toString())
                            .exit());
            Path config = cluster.configFile(1);

            Cli.Result whileRunning = Cli.run("restore", "--config", config.toString(), "--from", backup.toString());
            assertEquals(1, whileRunning.exit());
            assertTrue(whileRunning.err().contains("stop the member before restoring"), whileRunning.err());

            for (int m = 1; m <= 3; m++) cluster.stop(m);
            deleteTree(cluster.dataDir(1));
            Cli.Result stillHeld = Cli.run("restore", "--config", config.toString(), "--from", backup.toString());
            assertEquals(1, stillHeld.exit());
            assertTrue(stillHeld.err().contains("ZooKeeper still holds group it"), stillHeld.err());
            assertTrue(stillHeld.err().contains("--replace-group-state"), stillHeld.err());

            Cli.Result replaced = Cli.run(
                    "restore", "--config", config.toString(), "--from", backup.toString(), "--replace-group-state");
            assertEquals(0, replaced.exit(), replaced.err());
            deleteTree(cluster.dataDir(2)); // a second member, empty, to reach minInSync: 2
            for (int m = 1; m <= 2; m++) {
                cluster.app(m).forget();
                cluster.start(m);
            }
            await().atMost(DEADLINE).until(() -> cluster.leader() == 1);
            for (int m = 1; m <= 2; m++) {
                RecordingApp app = cluster.app(m);
                await().atMost(DEADLINE).until(() -> app.applied(0).size() >= 5);
                assertEquals(List.of(), app.anomalies());
            }
        }
    }

    /** The group's znodes gone, every data dir deleted, every app's memory lost. */
    private static void loseEverything(LocalCluster cluster) throws Exception {
        try (CuratorFramework zk =
                CuratorFrameworkFactory.newClient(cluster.zookeeperConnect(), new RetryOneTime(100))) {
            zk.start();
            zk.delete().deletingChildrenIfNeeded().forPath("/understudy/it");
        }
        for (int m = 1; m <= 3; m++) {
            deleteTree(cluster.dataDir(m));
            cluster.app(m).forget();
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
