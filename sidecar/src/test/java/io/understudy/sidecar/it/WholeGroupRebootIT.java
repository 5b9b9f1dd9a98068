package io.understudy.sidecar.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6 item 6: every member of a group with {@code fsync: interval} crashes and the machine reboots (another
 * kernel boot id, injected). Unflushed data is suspect, so every member rotates its data dir id and none is in the
 * ISR. Status must not name a leader that is not leading, and once every member of the last ISR is back the most
 * complete one restarts the ISR and leads (KIP-966 style), saying in status what may have been lost.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WholeGroupRebootIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void afterARebootOfEveryMemberTheLastIsrRecoversWithoutAnOperatorAndStatusSaysSo() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, ", fsync: interval")) {
            cluster.startAll(3, DEADLINE);
            int leader = cluster.leader();
            cluster.writeAcknowledged(leader, 30);
            int[] others = java.util.stream.IntStream.rangeClosed(1, 3)
                    .filter(m -> m != leader)
                    .toArray();
            for (int m : others) cluster.stop(m);
            cluster.awaitIsr(1, DEADLINE); // the leader alone is the last ISR
            cluster.stop(leader);
            for (int m = 1; m <= 3; m++) cluster.forgetCleanShutdown(m);
            cluster.reboot();

            for (int m : others) cluster.start(m);
            // The state znode still names the old leader, which is down: no status may name it. Nothing but time
            // shows that nobody leads meanwhile (the last ISR member is not back, so no recovery may start).
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> {
                for (int m : others) {
                    JsonNode p = partition0(cluster, m);
                    if (!p.path("leader").isNull() || cluster.leader() > 0) return false;
                }
                return true;
            });

            cluster.start(leader);
            await().atMost(DEADLINE).until(() -> cluster.leader() == leader);
            JsonNode p = partition0(cluster, leader);
            assertTrue(p.path("recoveredAt").asLong() > 0, p.toString());
            assertTrue(p.path("possibleLoss").asText().contains("after index 30"), p.toString());
            await().atMost(DEADLINE)
                    .until(() -> cluster.write(others[0], "after", "x", "sync").statusCode() == 200);
            cluster.awaitApplied(3, 31, DEADLINE);
        }
    }

    private static JsonNode partition0(LocalCluster cluster, int member) throws Exception {
        return JSON.readTree(cluster.get(member, "/v1/status").body())
                .path("partitions")
                .get(0);
    }
}
