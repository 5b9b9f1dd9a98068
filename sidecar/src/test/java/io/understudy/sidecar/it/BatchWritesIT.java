package io.understudy.sidecar.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.understudy.sidecar.testing.RecordingApp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/entries/batch} on three members with three partitions: answered per item in order, forwarded
 * by a follower to each partition's leader, delivered by every member in the order of the acknowledgements.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BatchWritesIT {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final int PARTITIONS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private LocalCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = new LocalCluster(dir, "", PARTITIONS);
        cluster.startAll(3, DEADLINE);
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void aBatchThroughAFollowerAcrossPartitionsIsAnsweredInOrderAndEveryMemberDeliversItInThatOrder() throws Exception {
        int through = aFollowerOfEveryPartition();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 30; i++) keys.add("batch-" + i);

        HttpResponse<String> answer = postBatch(through, "sync", items(keys, null));

        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode results = JSON.readTree(answer.body()).get("results");
        assertEquals(keys.size(), results.size(), answer.body());
        Set<Integer> partitionsUsed = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            JsonNode r = results.get(i);
            assertEquals(
                    cluster.sidecar(1).replicas().partitionOf(keys.get(i)),
                    r.get("partition").asInt(),
                    "" + r);
            assertTrue(r.get("index").asLong() > 0, "" + r);
            partitionsUsed.add(r.get("partition").asInt());
        }
        assertEquals(PARTITIONS, partitionsUsed.size(), "30 keys reach every partition");

        for (int m = 1; m <= 3; m++) {
            RecordingApp app = cluster.app(m);
            await().atMost(DEADLINE).until(() -> app.keys().containsAll(keys));
            for (int p = 0; p < PARTITIONS; p++) {
                List<String> expected = new ArrayList<>();
                List<Long> indexes = new ArrayList<>();
                for (int i = 0; i < keys.size(); i++) {
                    if (results.get(i).get("partition").asInt() != p) continue;
                    expected.add(keys.get(i));
                    indexes.add(results.get(i).get("index").asLong());
                }
                List<RecordingApp.Applied> delivered = app.applied(p).stream()
                        .filter(a -> a.key().startsWith("batch-"))
                        .toList();
                assertEquals(
                        expected,
                        delivered.stream().map(RecordingApp.Applied::key).toList(),
                        "node-" + m);
                assertEquals(
                        indexes,
                        delivered.stream().map(RecordingApp.Applied::index).toList(),
                        "node-" + m);
                for (RecordingApp.Applied a : delivered) {
                    assertEquals("{\"n\":\"" + a.key() + "\"}", a.payload(), "node-" + m);
                }
            }
            assertEquals(List.of(), app.anomalies());
        }
    }

    @Test
    void aBatchRetriedWithItsIdempotencyKeysGetsTheSameEntriesAndAppsHoldEachItemOnce() throws Exception {
        int through = aFollowerOfEveryPartition();
        List<String> keys = List.of("retry-a", "retry-b", "retry-c", "retry-d", "retry-e", "retry-f");

        HttpResponse<String> first = postBatch(through, "sync", items(keys, "order-"));
        HttpResponse<String> again = postBatch(cluster.leader(0), "sync", items(keys, "order-"));

        assertEquals(200, first.statusCode(), first.body());
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(JSON.readTree(first.body()), JSON.readTree(again.body()), "a retry answers the original entries");
        HttpResponse<String> marker = cluster.write(through, "after-retry", "{}", "sync");
        assertEquals(200, marker.statusCode(), marker.body());
        for (int m = 1; m <= 3; m++) {
            RecordingApp app = cluster.app(m);
            await().atMost(DEADLINE).until(() -> app.keys().contains("after-retry"));
            for (String key : keys) {
                assertEquals(1, app.keys().stream().filter(key::equals).count(), "node-" + m + " holds " + key);
            }
        }
    }

    @Test
    void oneMalformedItemIs400NamingItAndNothingIsWritten() throws Exception {
        ArrayNode entries = items(List.of("ok-1", "ok-2", "ok-3"), null);
        ((ObjectNode) entries.get(1)).put("idempotencyKey", "has a space");
        long[] before = logEnds();

        HttpResponse<String> answer = postBatch(cluster.leader(0), "sync", entries);

        assertEquals(400, answer.statusCode(), answer.body());
        JsonNode body = JSON.readTree(answer.body());
        assertEquals("BAD_REQUEST", body.get("code").asText());
        assertTrue(body.get("message").asText().contains("entries[1]"), answer.body());
        assertEquals(List.of(before[0], before[1], before[2]), List.of(logEnds()[0], logEnds()[1], logEnds()[2]));
    }

    @Test
    void anItemReusingAnIdempotencyKeyWithAnotherBodyFailsAloneAnd207AnswersTheRest() throws Exception {
        HttpResponse<String> first = postBatch(cluster.leader(0), "sync", items(List.of("dup"), "same-"));
        assertEquals(200, first.statusCode(), first.body());
        ArrayNode entries = items(List.of("fresh-1", "dup", "fresh-2"), "same-");
        ((ObjectNode) entries.get(1)).put("value", "another body");

        HttpResponse<String> answer = postBatch(aFollowerOfEveryPartition(), "sync", entries);

        assertEquals(207, answer.statusCode(), answer.body());
        JsonNode results = JSON.readTree(answer.body()).get("results");
        assertTrue(results.get(0).get("index").asLong() > 0, answer.body());
        assertEquals("IDEMPOTENCY_MISMATCH", results.get(1).get("code").asText(), answer.body());
        assertEquals("rejected", results.get(1).get("outcome").asText(), answer.body());
        assertEquals(422, results.get(1).get("status").asInt(), answer.body());
        assertTrue(results.get(2).get("index").asLong() > 0, answer.body());
    }

    /** A member that leads no partition (every partition is led by one member when no balancing runs). */
    private int aFollowerOfEveryPartition() {
        for (int m = 1; m <= 3; m++) {
            boolean leadsNone = true;
            for (int p = 0; p < PARTITIONS; p++) leadsNone &= cluster.leader(p) != m;
            if (leadsNone) return m;
        }
        throw new AssertionError("every member leads a partition");
    }

    private long[] logEnds() {
        int leader = cluster.leader(0);
        long[] ends = new long[PARTITIONS];
        for (int p = 0; p < PARTITIONS; p++)
            ends[p] = cluster.sidecar(leader).replicas().replica(p).log().logEnd();
        return ends;
    }

    /** One item per key, value {"n":key}, with idempotency key prefix+key unless the prefix is null. */
    private static ArrayNode items(List<String> keys, String idempotencyPrefix) {
        ArrayNode entries = JSON.createArrayNode();
        for (String key : keys) {
            ObjectNode item = entries.addObject().put("key", key).put("value", "{\"n\":\"" + key + "\"}");
            if (idempotencyPrefix != null) item.put("idempotencyKey", idempotencyPrefix + key);
        }
        return entries;
    }

    private HttpResponse<String> postBatch(int member, String durability, ArrayNode entries) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.set("entries", entries);
        return cluster.post(
                member,
                "/v1/entries/batch?durability=" + durability,
                JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
    }
}
