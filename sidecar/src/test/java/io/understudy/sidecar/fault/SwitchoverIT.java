package io.understudy.sidecar.fault;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 9's switchover and pause, on three sidecars from the jar with six partitions and a three-server ZooKeeper:
 * leadership settles 2/2/2; partition 0 moves to another member while a writer keeps writing {@code sync} through
 * every member, and no write fails; refusals answer their codes; while the group is paused leadership stays where
 * it is, and balances again on resume. One cluster for the class: each test starts from a steady, balanced group.
 *
 * <p>Run alone: {@code mvn -B verify -pl sidecar -Dit.test=SwitchoverIT}.
 */
@Tag("fault")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class SwitchoverIT {
    private static final int PARTITIONS = 6;
    private static final Duration SETTLE = Duration.ofSeconds(90);

    private Cluster cluster;

    @BeforeAll
    void startCluster() {
        cluster = Cluster.start(ClusterSettings.suite(PARTITIONS), "SwitchoverIT");
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) cluster.close();
    }

    @BeforeEach
    void steadyAndBalanced() {
        cluster.heal();
        cluster.awaitSteady(SETTLE);
        assertEquals(200, post("node-1", "/v1/resume").statusCode());
        awaitBalanced();
    }

    @Test
    void partitionZeroMovesToAnotherMemberWhileAWriterWritesAndNoWriteFails() {
        String from = cluster.leader(0).orElseThrow();
        String to = cluster.ids().stream()
                .filter(id -> !id.equals(from))
                .findFirst()
                .orElseThrow();
        String via = cluster.ids().stream()
                .filter(id -> !id.equals(from) && !id.equals(to))
                .findFirst()
                .orElseThrow();
        long epochBefore = epoch(from, 0);
        Workload writer = new Workload(
                cluster, 4, 100, Duration.ofSeconds(10), Duration.ofMillis(10), 1_000_000, Duration.ofMinutes(2), 9);
        writer.start();
        long started = System.nanoTime();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> writer.firstAckedSyncEnd(started, 0).isPresent());

        // Through a member that does not lead partition 0: it relays the request to the leader.
        HttpResponse<String> answer = post(via, "/v1/switchover?partition=0&to=" + to + "&timeoutMs=10000");

        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode moved = SidecarProcess.parse(answer.body());
        assertEquals(from, moved.path("from").asText());
        assertEquals(to, moved.path("to").asText());
        assertTrue(moved.path("epoch").asLong() > epochBefore, answer.body());
        assertEquals(to, cluster.leader(0).orElseThrow());
        long movedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> writer.firstAckedSyncEnd(movedAt, 0).isPresent());
        writer.stop();

        List<WriteRecord> records = writer.records();
        List<WriteRecord> failed = records.stream()
                .filter(r -> r.outcome() != WriteRecord.Outcome.ACKED)
                .toList();
        assertEquals(List.of(), failed, "no write fails across the switchover");
        assertTrue(records.stream().anyMatch(r -> r.partition() == 0 && r.epoch() > epochBefore));
        cluster.awaitQuiescent(Duration.ofSeconds(60));
        List<String> acked = records.stream().map(WriteRecord::key).toList();
        for (SidecarProcess m : cluster.members()) {
            assertTrue(m.app().keys().containsAll(acked), m.id() + " holds every acknowledged write");
        }
    }

    @Test
    void aSwitchoverToAnUnknownMemberTheLeaderItselfOrAMissingPartitionIsRefused() {
        String leader = cluster.leader(1).orElseThrow();

        assertRefused(post(leader, "/v1/switchover?partition=1&to=node-9"), 404, "UNKNOWN_MEMBER");
        assertRefused(post(leader, "/v1/switchover?partition=1&to=" + leader), 409, "TARGET_IS_LEADER");
        assertRefused(post(leader, "/v1/switchover?partition=99&to=" + leader), 404, "UNKNOWN_PARTITION");
    }

    @Test
    void aSwitchoverToAMemberOutsideTheIsrOrNotAliveIsRefused() {
        // Paused, so that balancing does not move partition 2 when the target leaves its ISR.
        assertEquals(200, post("node-1", "/v1/pause").statusCode());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> cluster.status("node-1")
                        .map(s -> s.path("paused").asBoolean())
                        .orElse(false));
        String leader = cluster.leader(2).orElseThrow();
        String target = cluster.ids().stream()
                .filter(id -> !id.equals(leader))
                .findFirst()
                .orElseThrow();

        // Its ZooKeeper session stays, but the leader's appends do not reach it: it leaves the ISR after replicaLagMax.
        cluster.isolatePeer(target);
        await().atMost(Duration.ofSeconds(30)).until(() -> !isr(leader, 2).contains(target));
        assertRefused(post(leader, "/v1/switchover?partition=2&to=" + target), 409, "TARGET_NOT_IN_SYNC");
        cluster.heal();
        await().atMost(Duration.ofSeconds(30)).until(() -> isr(leader, 2).contains(target));

        cluster.stop(target); // SIGTERM: its member znode goes at once
        await().atMost(Duration.ofSeconds(30)).until(() -> !isr(leader, 2).contains(target));
        assertRefused(post(leader, "/v1/switchover?partition=2&to=" + target), 409, "TARGET_NOT_ALIVE");
    }

    @Test
    void whilePausedLeadershipStaysUnbalancedAndBalancesOnResume() {
        HttpResponse<String> paused = post("node-2", "/v1/pause");
        assertEquals(200, paused.statusCode(), paused.body());
        for (String id : cluster.ids()) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> cluster.status(id)
                            .map(s -> s.path("paused").asBoolean())
                            .orElse(false));
        }

        cluster.stop("node-1");
        await().atMost(SETTLE).until(() -> leadersByMember().getOrDefault("node-1", 0) == 0 && allLed());
        cluster.heal(); // starts node-1 again
        cluster.awaitSteady(SETTLE);
        // Long enough for balancing (replication.leaderBalanceDelayMs, 10 s) to have moved partitions back.
        await().during(Duration.ofSeconds(15))
                .atMost(Duration.ofSeconds(20))
                .until(() -> leadersByMember().getOrDefault("node-1", 0) == 0);

        HttpResponse<String> resumed = post("node-3", "/v1/resume");
        assertEquals(200, resumed.statusCode(), resumed.body());
        awaitBalanced();
    }

    // ---- helpers

    private HttpResponse<String> post(String member, String pathAndQuery) {
        return cluster.member(member)
                .post(pathAndQuery, Duration.ofSeconds(20))
                .orElseThrow(() -> new AssertionError(member + " did not answer " + pathAndQuery));
    }

    private static void assertRefused(HttpResponse<String> answer, int status, String code) {
        assertEquals(status, answer.statusCode(), answer.body());
        assertEquals(code, SidecarProcess.parse(answer.body()).path("code").asText(), answer.body());
    }

    private long epoch(String member, int partition) {
        return cluster.status(member)
                .orElseThrow()
                .path("partitions")
                .get(partition)
                .path("epoch")
                .asLong();
    }

    private List<String> isr(String member, int partition) {
        JsonNode isr = cluster.status(member)
                .orElseThrow()
                .path("partitions")
                .get(partition)
                .path("isr");
        List<String> ids = new java.util.ArrayList<>();
        isr.forEach(n -> ids.add(n.asText()));
        return ids;
    }

    private boolean allLed() {
        for (int p = 0; p < PARTITIONS; p++) if (cluster.leader(p).isEmpty()) return false;
        return true;
    }

    private Map<String, Integer> leadersByMember() {
        Map<String, Integer> count = new TreeMap<>();
        for (int p = 0; p < PARTITIONS; p++) cluster.leader(p).ifPresent(l -> count.merge(l, 1, Integer::sum));
        return count;
    }

    /** Leadership settles 2/2/2: each of the three members leads two of the six partitions. */
    private void awaitBalanced() {
        await("leadership 2/2/2")
                .atMost(SETTLE)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> leadersByMember().values().stream()
                        .collect(Collectors.toList())
                        .equals(List.of(2, 2, 2)));
    }
}
