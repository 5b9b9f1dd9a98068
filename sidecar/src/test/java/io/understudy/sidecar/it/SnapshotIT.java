package io.understudy.sidecar.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots taken through the delivery protocol (DELIVERY.md, "Snapshots"): three sidecars on a real ZooKeeper, each
 * with a recording app that serves snapshots or does not.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SnapshotIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private LocalCluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) cluster.close();
    }

    @Test
    void everyMemberStoresASnapshotOfItsAppAfterIntervalEntries() throws Exception {
        cluster = new LocalCluster(dir, "").withSnapshots(10, true);
        cluster.startAll(3, DEADLINE);

        cluster.writeAcknowledged(cluster.leader(), 25);
        cluster.awaitApplied(3, 25, DEADLINE);

        for (int m = 1; m <= 3; m++) {
            int member = m;
            await().atMost(DEADLINE)
                    .until(() -> !cluster.snapshotFiles(member, 0).isEmpty());
            List<String> files = cluster.snapshotFiles(member, 0);
            long index = Long.parseLong(files.get(files.size() - 1).substring(0, 20));
            assertTrue(index >= 10 && index <= 25, () -> "snapshot at an index the app applied: " + files);
        }
    }

    /**
     * Needs the bounded log (issue 8 item 1: {@code log.segmentBytes} and {@code log.retainBytes}, SegmentedLog's
     * trimBefore and resetTo): until it is merged the configuration key is unknown and this test fails. The small
     * segments and retention make the members trim 300 entries of about 150 bytes below their snapshots.
     */
    @Test
    void afterTrimmingAFollowerFarBehindAndAnAppThatLostItsMemoryGetEverythingBackThroughASnapshot() throws Exception {
        cluster = new LocalCluster(dir, "")
                .withSnapshots(50, true)
                .withTopLevel("log: { segmentBytes: 4096, retainBytes: 8192 }\n");
        cluster.startAll(3, DEADLINE);
        int leader = cluster.leader();
        int lagging = leader == 1 ? 2 : 1;
        int other = 6 - leader - lagging;
        cluster.stop(lagging);
        List<String> keys = new java.util.ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            var response =
                    cluster.write(leader, "item-" + i, "{\"n\":" + i + ",\"pad\":\"" + "x".repeat(100) + "\"}", "sync");
            assertEquals(200, response.statusCode(), response::body);
            keys.add("item-" + i);
        }
        await().atMost(DEADLINE).until(() -> baseIndex(leader) > 0 && baseIndex(other) > 0);

        cluster.start(lagging);
        await().atMost(DEADLINE).until(() -> cluster.app(lagging).keys().equals(keys));
        cluster.app(other).forget();
        await().atMost(DEADLINE).until(() -> cluster.app(other).keys().equals(keys));

        assertTrue(baseIndex(lagging) > 0, "the follower's log continues after the leader's snapshot");
        assertTrue(!cluster.app(lagging).installs().isEmpty(), "the follower's app got a snapshot, not index 1 on");
        assertTrue(!cluster.app(other).installs().isEmpty(), "the app that lost its memory got a snapshot");
        for (int m = 1; m <= 3; m++) assertEquals(List.of(), cluster.app(m).anomalies());
    }

    private long baseIndex(int member) {
        return cluster.sidecar(member).replicas().replica(0).log().base().index();
    }

    @Test
    void anAppWithoutSnapshotSupportGetsNoSnapshotTaken() throws Exception {
        cluster = new LocalCluster(dir, "").withSnapshots(10, false);
        cluster.startAll(3, DEADLINE);

        cluster.writeAcknowledged(cluster.leader(), 25);
        cluster.awaitApplied(3, 25, DEADLINE);
        cluster.writeAcknowledged(cluster.leader(), 1); // one more apply after the app said 404: still none asked

        cluster.awaitApplied(3, 26, DEADLINE);
        for (int m = 1; m <= 3; m++) {
            assertEquals(List.of(), cluster.snapshotFiles(m, 0));
        }
    }
}
