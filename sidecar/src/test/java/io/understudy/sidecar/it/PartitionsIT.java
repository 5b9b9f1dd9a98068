package io.understudy.sidecar.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Partitions: each key range has its own log and leader, and every member converges on all of them. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PartitionsIT {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void keysSpreadOverPartitionsAndEveryMemberAppliesEveryPartition() throws Exception {
        ObjectMapper json = new ObjectMapper();
        try (LocalCluster cluster = new LocalCluster(dir, "", 4)) {
            cluster.startAll(3, DEADLINE);
            List<String> keys = new ArrayList<>();
            Set<Integer> partitionsUsed = new HashSet<>();
            for (int i = 0; i < 40; i++) {
                String key = "key-" + i;
                var ack = cluster.write(1 + i % 3, key, "v" + i, "sync");
                assertEquals(200, ack.statusCode(), ack.body());
                int partition = json.readTree(ack.body()).get("partition").asInt();
                assertEquals(cluster.sidecar(1).replicas().partitionOf(key), partition);
                partitionsUsed.add(partition);
                keys.add(key);
            }

            for (int m = 1; m <= 3; m++) {
                int member = m;
                await().atMost(DEADLINE).until(() -> cluster.app(member).keys().containsAll(keys));
                assertEquals(List.of(), cluster.app(member).anomalies());
            }
            assertEquals(4, partitionsUsed.size(), "40 keys reach all 4 partitions");
            assertEquals(cluster.app(1).applied(), cluster.app(2).applied());
            assertEquals(cluster.app(1).applied(), cluster.app(3).applied());
            Set<Integer> leaders = new HashSet<>();
            for (int p = 0; p < 4; p++) leaders.add(cluster.leader(p));
            assertTrue(leaders.stream().allMatch(l -> l > 0), "every partition has a leader: " + leaders);
        }
    }

    @Test
    void leadershipSpreadsOverTheMembersAndWritesGoOnThroughTheHandOvers() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, ", leaderBalanceDelayMs: 1000", 3)) {
            cluster.startAll(3, DEADLINE);
            List<String> acked = new ArrayList<>();
            await().atMost(Duration.ofSeconds(40))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        String key = "k" + acked.size();
                        if (cluster.write(1 + acked.size() % 3, key, "v", "sync")
                                        .statusCode()
                                == 200) acked.add(key);
                        Set<Integer> leaders = new HashSet<>();
                        for (int p = 0; p < 3; p++) leaders.add(cluster.leader(p));
                        return leaders.equals(Set.of(1, 2, 3));
                    });

            for (int m = 1; m <= 3; m++) {
                int member = m;
                await().atMost(DEADLINE).until(() -> cluster.app(member).keys().containsAll(acked));
                assertEquals(List.of(), cluster.app(member).anomalies());
            }
            assertEquals(cluster.app(1).applied(), cluster.app(2).applied());
            assertEquals(cluster.app(1).applied(), cluster.app(3).applied());
        }
    }
}
