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
