package io.understudy.sidecar.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.testing.RecordingApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The persisted applied index lags behind deliveries (it is written at most once per
 * {@code app.positionCheckIntervalMs}); a member that dies with deliveries the disk never got restarts from an
 * older index, and the app's position keeps its app from losing or repeating an item.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AppliedIndexRestartIT {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aMemberKilledWithDeliveriesItsDiskNeverGotNeitherLosesNorRepeatsAnItemInItsApp() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, "").withAppSettings(", positionCheckIntervalMs: 60000")) {
            cluster.startAll(3, DEADLINE);
            int leader = cluster.leader();
            int victim = leader == 1 ? 2 : 1;
            Path appliedFile =
                    dir.resolve("node-" + victim).resolve("partition-0").resolve("applied");
            List<String> keys = new ArrayList<>();
            write(cluster, leader, keys, 1);
            await().atMost(DEADLINE).until(() -> cluster.app(victim).appliedIndex(0) >= 1);
            await().atMost(DEADLINE).until(() -> onDisk(appliedFile) >= 1);
            write(cluster, leader, keys, 20);
            await().atMost(DEADLINE).until(() -> cluster.app(victim).appliedIndex(0) >= 21);
            long persisted = onDisk(appliedFile);
            assertTrue(persisted < 21, "the applied index on disk lags the deliveries: " + persisted);

            // What kill -9 leaves: no clean-shutdown marker, and the applied file as the disk last had it (closing
            // writes the newest index, so the older one is put back).
            byte[] lagging = Files.readAllBytes(appliedFile);
            cluster.stop(victim);
            Files.write(appliedFile, lagging);
            cluster.forgetCleanShutdown(victim);
            cluster.start(victim);
            cluster.awaitIsr(3, DEADLINE);
            write(cluster, leader, keys, 5);

            RecordingApp app = cluster.app(victim);
            await().atMost(DEADLINE).until(() -> app.appliedIndex(0) >= keys.size());
            List<RecordingApp.Applied> applied = app.applied(0);
            assertEquals(keys, applied.stream().map(RecordingApp.Applied::key).toList(), "each item once, in order");
            assertEquals(
                    LongStream.rangeClosed(1, keys.size()).boxed().toList(),
                    applied.stream().map(RecordingApp.Applied::index).toList());
            assertEquals(List.of(), app.anomalies());
        }
    }

    private static void write(LocalCluster cluster, int member, List<String> keys, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            String key = "item-" + keys.size();
            var ack = cluster.write(member, key, "v", "sync");
            assertEquals(200, ack.statusCode(), ack.body());
            keys.add(key);
        }
    }

    private static long onDisk(Path file) throws Exception {
        return Files.exists(file)
                ? Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim())
                : 0;
    }
}
