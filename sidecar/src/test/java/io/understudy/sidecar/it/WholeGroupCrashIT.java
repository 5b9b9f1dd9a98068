package io.understudy.sidecar.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6 item 6: every member of a group with {@code fsync: interval} crashes while the machine stays up (same
 * kernel boot id). The page cache kept every byte each process wrote, so each keeps its data dir id, the last ISR
 * is still valid, and the group leads again within seconds with every acknowledged write.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WholeGroupCrashIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void wholeGroupCrashWithoutRebootLeadsAgainWithEveryAcknowledgedWrite() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, ", fsync: interval")) {
            cluster.startAll(3, DEADLINE);
            int leader = cluster.leader();
            cluster.writeAcknowledged(leader, 30);
            // The leader last, so that it is the last ISR; then each data dir looks as a kill -9 leaves it.
            List<Integer> order = List.of(1, 2, 3).stream()
                    .sorted((a, b) -> Boolean.compare(a == leader, b == leader))
                    .toList();
            for (int m : order) cluster.stop(m);
            for (int m = 1; m <= 3; m++) cluster.forgetCleanShutdown(m);

            for (int m = 1; m <= 3; m++) cluster.start(m);

            await().atMost(Duration.ofSeconds(20)).until(() -> cluster.leader() > 0);
            int next = cluster.leader();
            assertTrue(cluster.sidecar(next).replicas().replica(0).log().logEnd() >= 30, "every acknowledged write");
            await().atMost(DEADLINE)
                    .until(() -> cluster.write(next, "after", "x", "sync").statusCode() == 200);
            cluster.awaitApplied(3, 31, DEADLINE);
        }
    }
}
