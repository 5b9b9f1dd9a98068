package io.understudy.sidecar.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Error answers of a real group carry a stable code, an outcome and Retry-After, also through a forward. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ErrorCodesIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    private JsonNode assertError(HttpResponse<String> answer, int status, String code, String outcome)
            throws Exception {
        assertEquals(status, answer.statusCode(), answer.body());
        JsonNode body = json.readTree(answer.body());
        assertEquals(code, body.path("code").asText(), answer.body());
        assertEquals(outcome, body.path("outcome").asText(), answer.body());
        assertTrue(!body.path("message").asText().isBlank(), answer.body());
        assertEquals(body.path("message").asText(), body.path("error").asText(), "error repeats the message");
        boolean retryAfter = answer.headers().firstValue("Retry-After").isPresent();
        assertEquals(status == 503 || status == 429, retryAfter, "Retry-After on " + status);
        return body;
    }

    @Test
    void badRequestsAndTooFewReplicasAnswerWithCodesAndAForwardKeepsTheLeadersCode() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, ", minInSync: 3", 1)) {
            cluster.startAll(3, DEADLINE);
            int leader = cluster.leader();
            int[] followers = java.util.stream.IntStream.rangeClosed(1, 3)
                    .filter(m -> m != leader)
                    .toArray();

            assertError(
                    cluster.post(leader, "/v1/entries?partition=7", new byte[1]), 404, "UNKNOWN_PARTITION", "rejected");
            assertError(
                    cluster.post(leader, "/v1/entries?partition=4294967296", new byte[1]),
                    400,
                    "BAD_REQUEST",
                    "rejected");
            assertError(cluster.post(leader, "/v1/entries?key=k", new byte[2 << 20]), 413, "TOO_LARGE", "rejected");
            assertError(
                    cluster.post(leader, "/v1/entries?durability=maybe", new byte[1]), 400, "BAD_REQUEST", "rejected");
            assertError(cluster.get(leader, "/v1/nothing-here"), 404, "NOT_FOUND", "rejected");

            cluster.stop(followers[0]);
            await().atMost(DEADLINE)
                    .until(() -> cluster.sidecar(leader)
                                    .replicas()
                                    .replica(0)
                                    .status()
                                    .isr()
                                    .size()
                            == 2);

            assertError(cluster.write(leader, "k", "v", "sync"), 503, "NOT_ENOUGH_REPLICAS", "rejected");
            JsonNode forwarded =
                    assertError(cluster.write(followers[1], "k", "v", "sync"), 503, "NOT_ENOUGH_REPLICAS", "rejected");
            assertTrue(!forwarded.path("message").asText().contains("(from "), forwarded.toString());
            assertEquals(200, cluster.write(followers[1], "k", "v", "async").statusCode(), "async writes still go");
        }
    }
}
