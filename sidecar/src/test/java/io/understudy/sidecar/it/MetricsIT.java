package io.understudy.sidecar.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.understudy.sidecar.testing.Promtool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live member's {@code /metrics} passes {@code promtool check metrics} (format and lint), and the elections and
 * ISR changes of a real group show in the counters and in {@code GET /v1/events}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MetricsIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void liveMetricsPassPromtoolCheckWithoutLintProblems() throws Exception {
        Promtool promtool = Promtool.find();
        try (LocalCluster cluster = new LocalCluster(dir, "", 2)) {
            cluster.startAll(3, DEADLINE);
            int leader = cluster.leader();
            // Histograms and counters with samples in them, not only their declarations.
            assertEquals(200, cluster.write(leader, "k", "v", "sync").statusCode());
            assertEquals(200, cluster.write(leader % 3 + 1, "k", "v", "async").statusCode());

            for (int m = 1; m <= 3; m++) {
                String metrics = cluster.get(m, "/metrics").body();
                Promtool.Result check = promtool.run(metrics, "check", "metrics");
                assertEquals(0, check.exitCode(), "member " + m + ": " + check.output());
                assertEquals("", check.output().strip(), "member " + m + " has lint problems");
                // Writes are timed where they entered: the leader took the sync one.
                if (m == leader) assertTrue(metrics.contains("understudy_write_latency_seconds_bucket{"), metrics);
                assertTrue(metrics.contains("understudy_fsync_duration_seconds_bucket{"), metrics);
            }
        }
    }

    @Test
    void electionsAndIsrChangesShowInTheCountersAndInEvents() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, "")) {
            cluster.startAll(3, DEADLINE);
            int leader = cluster.leader();
            long epoch = cluster.sidecar(leader).replicas().replica(0).status().epoch();

            JsonNode events = json.readTree(cluster.get(leader, "/v1/events").body());
            assertEquals("node-" + leader, events.path("member").asText());
            JsonNode election = find(events, "ELECTION", epoch);
            assertTrue(election != null, "the leader's election of epoch " + epoch + " in " + events);
            assertEquals("node-" + leader, election.path("leader").asText());
            assertTrue(election.path("at").asText().endsWith("Z"), election.toString());
            assertTrue(sum(cluster, "understudy_elections_total") >= 1);
            assertTrue(sum(cluster, "understudy_isr_changes_total") >= 1);

            // A follower leaves: the leader shrinks the ISR, counts it and lists it, newest first, with the reason.
            int follower = leader % 3 + 1;
            double before = value(cluster, leader, "understudy_isr_changes_total");
            cluster.stop(follower);
            cluster.awaitIsr(2, DEADLINE);
            await().atMost(DEADLINE).until(() -> value(cluster, leader, "understudy_isr_changes_total") > before);
            JsonNode latest = json.readTree(
                            cluster.get(leader, "/v1/events?limit=1").body())
                    .path("events");
            assertEquals(1, latest.size(), latest.toString());
            assertEquals("ISR_CHANGE", latest.get(0).path("kind").asText());
            assertEquals(0, latest.get(0).path("partition").asInt());
            assertTrue(latest.get(0).path("reason").asText().contains("node-" + follower), latest.toString());
            List<String> isr = new ArrayList<>();
            latest.get(0).path("isr").forEach(m -> isr.add(m.asText()));
            assertTrue(!isr.contains("node-" + follower) && isr.size() == 2, isr.toString());

            assertEquals(400, cluster.get(leader, "/v1/events?limit=0").statusCode());
        }
    }

    private static JsonNode find(JsonNode events, String kind, long epoch) {
        for (JsonNode e : events.path("events")) {
            if (e.path("kind").asText().equals(kind) && e.path("epoch").asLong() == epoch) return e;
        }
        return null;
    }

    /** The value of {@code name} on a member, summed over its partitions. */
    private static double value(LocalCluster cluster, int member, String name) throws Exception {
        double sum = 0;
        for (String line : cluster.get(member, "/metrics").body().lines().toList()) {
            if (line.startsWith(name + "{")) sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        return sum;
    }

    private static double sum(LocalCluster cluster, String name) throws Exception {
        double sum = 0;
        for (int m = 1; m <= 3; m++) sum += value(cluster, m, name);
        return sum;
    }
}
