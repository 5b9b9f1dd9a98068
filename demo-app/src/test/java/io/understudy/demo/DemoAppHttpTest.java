package io.understudy.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DemoAppHttpTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private FakeSidecar sidecar;
    private DemoApp app;

    @BeforeEach
    void start() {
        sidecar = new FakeSidecar();
        app = new DemoApp(new DemoOptions("127.0.0.1", 0, sidecar.url())).start();
    }

    @AfterEach
    void stop() {
        app.close();
        sidecar.close();
    }

    @Test
    void putForwardsKeyBodyAndDurabilityToTheSidecarAndAnswersWithTheIndex() throws Exception {
        String item = "{ \"name\" : \"lamp\",\"price\":12.5 }";

        HttpResponse<String> response = send("PUT", "/items/item-1?durability=sync", item);

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(json("{\"id\":\"item-1\",\"partition\":0,\"epoch\":3,\"index\":17}"), json(response.body()));
        FakeSidecar.Write write = sidecar.nextWrite();
        assertEquals("item-1", write.key());
        assertEquals("sync", write.durability());
        assertEquals("application/json", write.contentType());
        assertArrayEquals(item.getBytes(StandardCharsets.UTF_8), write.body(), "the body goes through byte for byte");
        assertEquals(0, app.store().size(), "a PUT changes nothing until the sidecar delivers it");
    }

    @Test
    void putPassesTheClientsIdempotencyKeyToTheSidecar() throws Exception {
        HttpRequest put = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/items/item-7"))
                .timeout(Duration.ofSeconds(20))
                .header("Idempotency-Key", "order-42-try")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"qty\":1}"))
                .build();

        HttpResponse<String> response = http.send(put, HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("order-42-try", sidecar.nextWrite().idempotencyKey());
        assertEquals(200, send("PUT", "/items/item-8", "1").statusCode());
        assertNull(sidecar.nextWrite().idempotencyKey(), "no key from the client, none to the sidecar");
    }

    @Test
    void putWithoutDurabilityLeavesTheChoiceToTheSidecar() throws Exception {
        assertEquals(200, send("PUT", "/items/a", "42").statusCode());

        assertNull(sidecar.nextWrite().durability());
    }

    @Test
    void putWithInvalidJsonIsRefusedWithoutCallingTheSidecar() throws Exception {
        HttpResponse<String> broken = send("PUT", "/items/a", "{\"name\": ");
        HttpResponse<String> trailing = send("PUT", "/items/a", "{} {}");
        HttpResponse<String> empty = send("PUT", "/items/a", "");

        assertEquals(400, broken.statusCode());
        assertTrue(
                json(broken.body()).path("error").asText().startsWith("the body must be the item as one JSON value"));
        assertEquals(400, trailing.statusCode());
        assertEquals(400, empty.statusCode());
        assertTrue(sidecar.noWrites());
    }

    @Test
    void putWithBadIdOrDurabilityIsRefused() throws Exception {
        assertEquals(400, send("PUT", "/items/" + "x".repeat(129), "1").statusCode());
        assertEquals(400, send("PUT", "/items/a%20b", "1").statusCode());
        assertEquals(400, send("PUT", "/items/a?durability=maybe", "1").statusCode());
        assertTrue(sidecar.noWrites());
    }

    @Test
    void sidecarErrorIsPassedThrough() throws Exception {
        sidecar.answer(503, "{\"error\":\"no leader for partition 0\"}");

        HttpResponse<String> response = send("PUT", "/items/a", "1");

        assertEquals(503, response.statusCode());
        assertEquals(
                "no leader for partition 0", json(response.body()).path("error").asText());
    }

    @Test
    void sidecarErrorWithoutJsonBecomesAJsonError() throws Exception {
        sidecar.answer(500, "boom");

        HttpResponse<String> response = send("PUT", "/items/a", "1");

        assertEquals(500, response.statusCode());
        assertTrue(json(response.body()).path("error").asText().contains("answered 500: boom"));
    }

    @Test
    void sidecarDownAnswers502NamingTheSidecar() throws Exception {
        URI nowhere = URI.create("http://127.0.0.1:" + freePort());
        try (DemoApp orphan = new DemoApp(new DemoOptions("127.0.0.1", 0, nowhere)).start()) {
            HttpResponse<String> response = send(orphan, "PUT", "/items/a", "1");

            assertEquals(502, response.statusCode());
            assertTrue(
                    json(response.body())
                            .path("error")
                            .asText()
                            .startsWith("sidecar at " + nowhere + " is unreachable"),
                    response.body());
        }
    }

    @Test
    void sidecarThatDoesNotAnswerInTimeGets504() throws Exception {
        sidecar.hang();
        try (DemoApp impatient =
                new DemoApp(new DemoOptions("127.0.0.1", 0, sidecar.url()), Duration.ofMillis(300)).start()) {
            HttpResponse<String> response = send(impatient, "PUT", "/items/a", "1");

            assertEquals(504, response.statusCode());
            assertTrue(
                    json(response.body()).path("error").asText().contains("did not answer within 300 ms"),
                    response.body());
        }
    }

    @Test
    void deliveredEntriesBecomeReadableItems() throws Exception {
        HttpResponse<String> applied = apply(0, entry(1, "b", "{\"n\":2}"), entry(2, "a", "[1,2]"));

        assertEquals(200, applied.statusCode());
        assertEquals(json("{\"appliedIndex\":2}"), json(applied.body()));
        assertEquals(
                json("{\"a\":[1,2],\"b\":{\"n\":2}}"),
                json(send("GET", "/items", null).body()));
        assertEquals(
                json("{\"id\":\"b\",\"value\":{\"n\":2}}"),
                json(send("GET", "/items/b", null).body()));
        assertEquals(404, send("GET", "/items/c", null).statusCode());
    }

    @Test
    void snapshotOfAPartitionInstallsIntoAnotherAppReplacingItsStateOfThatPartition() throws Exception {
        apply(0, entry(1, "a", "{\"n\":1}"), entry(2, "b", "\"two\""));
        apply(1, entry(1, "c", "3"));

        HttpResponse<byte[]> taken = http.send(
                request(app, "GET", "/understudy/snapshot?partition=0", null), HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(200, taken.statusCode());
        assertEquals(
                "application/octet-stream",
                taken.headers().firstValue("Content-Type").orElse(""));
        assertEquals("2", taken.headers().firstValue("Understudy-Applied-Index").orElse(""));
        try (DemoApp other = new DemoApp(new DemoOptions("127.0.0.1", 0, sidecar.url())).start()) {
            HttpResponse<String> stale = send(
                    other,
                    "POST",
                    "/understudy/apply",
                    "{\"partition\":0,\"entries\":[" + entry(1, "stale", "0") + "]}");
            assertEquals(200, stale.statusCode());
            HttpRequest put = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + other.port() + "/understudy/snapshot?partition=0&index=2"))
                    .timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(taken.body()))
                    .build();

            HttpResponse<String> installed = http.send(put, HttpResponse.BodyHandlers.ofString());

            assertEquals(200, installed.statusCode(), installed.body());
            assertEquals(json("{\"appliedIndex\":2}"), json(installed.body()));
            assertEquals(
                    json("{\"a\":{\"n\":1},\"b\":\"two\"}"),
                    json(send(other, "GET", "/items", null).body()),
                    "partition 0 holds the snapshot's items only; partition 1's item stayed with the first app");
            assertEquals(
                    json("{\"partitions\":{\"0\":2}}"),
                    json(send(other, "GET", "/understudy/position", null).body()));
            HttpResponse<String> next = send(
                    other, "POST", "/understudy/apply", "{\"partition\":0,\"entries\":[" + entry(3, "d", "4") + "]}");
            assertEquals(json("{\"appliedIndex\":3}"), json(next.body()), "delivery goes on after the snapshot");
        }
    }

    @Test
    void snapshotCallsWithoutPartitionOrIndexAreRefusedWith400() throws Exception {
        assertEquals(400, send("GET", "/understudy/snapshot", null).statusCode());
        assertEquals(
                400,
                send("PUT", "/understudy/snapshot?partition=0", "{\"items\":{}}")
                        .statusCode());
        assertEquals(
                400,
                send("PUT", "/understudy/snapshot?partition=0&index=1", "[]").statusCode());
    }

    @Test
    void payloadIsBase64DecodedAndNonJsonIsKeptAsText() throws Exception {
        apply(0, entry(1, "json", "{\"name\":\"caf\u00e9\"}"), entry(2, "text", "plain caf\u00e9"));

        assertEquals(
                "caf\u00e9",
                json(send("GET", "/items/json", null).body())
                        .path("value")
                        .path("name")
                        .asText());
        assertEquals(
                json("\"plain caf\u00e9\""),
                json(send("GET", "/items/text", null).body()).path("value"));
    }

    @Test
    void gapIsRefusedWith409NamingTheIndexToResumeFrom() throws Exception {
        apply(0, entry(1, "a", "1"));

        HttpResponse<String> gap = apply(0, entry(3, "c", "3"));
        HttpResponse<String> repeat = apply(0, entry(1, "a", "100"), entry(2, "b", "2"));

        assertEquals(409, gap.statusCode());
        assertEquals(json("{\"appliedIndex\":1,\"error\":\"gap: expected index 2, got 3\"}"), json(gap.body()));
        assertEquals(200, repeat.statusCode());
        assertEquals(json("{\"appliedIndex\":2}"), json(repeat.body()));
        assertEquals(json("1"), json(send("GET", "/items/a", null).body()).path("value"));
    }

    @Test
    void malformedDeliveryIsRefusedWith400() throws Exception {
        assertEquals(400, send("POST", "/understudy/apply", "{\"partition\":0}").statusCode());
        assertEquals(
                400,
                send(
                                "POST",
                                "/understudy/apply",
                                "{\"partition\":0,\"entries\":[{\"index\":1,\"key\":\"a\",\"payload\":\"%%%\"}]}")
                        .statusCode());
        assertEquals(0, app.store().appliedIndex(0));
    }

    @Test
    void readWithMinIndexWaitsUntilThatIndexIsApplied() throws Exception {
        apply(0, entry(1, "a", "1"));
        CompletableFuture<HttpResponse<String>> read = sendAsync("GET", "/items/b?minIndex=2&timeoutMs=10000");
        await().atMost(Duration.ofSeconds(5)).until(() -> app.store().waiting() == 1);
        assertFalse(read.isDone());

        CompletableFuture.runAsync(() -> apply(0, entry(2, "b", "\"two\"")));

        HttpResponse<String> response = read.get(10, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(json("\"two\""), json(response.body()).path("value"));
    }

    @Test
    void readWithMinIndexAlreadyAppliedAnswersAtOnce() throws Exception {
        apply(0, entry(1, "a", "1"));

        HttpResponse<String> response = send("GET", "/items?minIndex=1&timeoutMs=0", null);

        assertEquals(200, response.statusCode());
    }

    @Test
    void readWithMinIndexTimesOutWith504() throws Exception {
        HttpResponse<String> response = send("GET", "/items?minIndex=3&partition=1&timeoutMs=200", null);

        assertEquals(504, response.statusCode());
        assertEquals(
                "index 3 of partition 1 not applied within 200 ms",
                json(response.body()).path("error").asText());
        assertEquals(0, app.store().waiting(), "a timed-out reader is forgotten");
        assertEquals(400, send("GET", "/items?minIndex=-1", null).statusCode());
    }

    @Test
    void startAsksTheSidecarToRedeliverWhatTheAppHolds() throws Exception {
        assertEquals("POST /v1/redeliver", sidecar.nextRedelivery(), "an app starts with empty memory");
        assertEquals(
                json("{\"partitions\":{}}"),
                json(send("GET", "/understudy/position", null).body()),
                "and says so when asked");
    }

    @Test
    void keylessEntriesAdvanceTheIndexAndStoreNoItem() throws Exception {
        String base64 = Base64.getEncoder().encodeToString("1".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = apply(
                0,
                "{\"index\":1,\"epoch\":1,\"payload\":\"" + base64 + "\"}",
                "{\"index\":2,\"epoch\":1,\"key\":null,\"payload\":\"" + base64 + "\"}",
                "{\"index\":3,\"epoch\":1,\"key\":\"\",\"payload\":\"" + base64 + "\"}",
                entry(4, "kept", "2"));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(json("{\"appliedIndex\":4}"), json(response.body()));
        assertEquals(json("{\"kept\":2}"), json(send("GET", "/items", null).body()), "no item with id \"\"");
    }

    @Test
    void positionAndStatusShowWhatTheAppHolds() throws Exception {
        apply(0, entry(1, "a", "1"), entry(2, "b", "2"));
        HttpResponse<String> role = send(
                "POST",
                "/understudy/role",
                "{\"partition\":0,\"role\":\"follower\",\"epoch\":3,\"leader\":\"node-2\"}");

        assertEquals(200, role.statusCode());
        assertEquals(json("{}"), json(role.body()));
        assertEquals(
                json("{\"partitions\":{\"0\":2}}"),
                json(send("GET", "/understudy/position", null).body()));
        JsonNode status = json(send("GET", "/understudy/status", null).body());
        assertEquals(2, status.path("items").asInt());
        assertEquals(json("{\"0\":2}"), status.path("applied"));
        assertEquals(json("{\"0\":{\"role\":\"follower\",\"epoch\":3,\"leader\":\"node-2\"}}"), status.path("roles"));
    }

    @Test
    void healthIndexAndUnknownPaths() throws Exception {
        assertEquals(
                json("{\"status\":\"ok\"}"), json(send("GET", "/health", null).body()));
        assertTrue(send("GET", "/", null).body().contains("PUT  /items/{id}"));
        HttpResponse<String> unknown = send("GET", "/nothing", null);
        assertEquals(404, unknown.statusCode());
        assertTrue(json(unknown.body()).has("error"));
        assertEquals(405, send("DELETE", "/items/a", null).statusCode());
    }

    private static String entry(long index, String key, String payload) {
        String base64 = Base64.getEncoder().encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return "{\"index\":" + index + ",\"epoch\":1,\"timestamp\":1764200000000,\"key\":\"" + key
                + "\",\"contentType\":\"application/json\",\"payload\":\"" + base64 + "\"}";
    }

    private HttpResponse<String> apply(int partition, String... entries) {
        String body = "{\"group\":\"catalog\",\"member\":\"node-1\",\"partition\":" + partition + ",\"entries\":["
                + String.join(",", entries) + "]}";
        try {
            return send("POST", "/understudy/apply", body);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private HttpResponse<String> send(String method, String path, String body)
            throws IOException, InterruptedException {
        return send(app, method, path, body);
    }

    private HttpResponse<String> send(DemoApp target, String method, String path, String body)
            throws IOException, InterruptedException {
        return http.send(request(target, method, path, body), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> sendAsync(String method, String path) {
        return http.sendAsync(request(app, method, path, null), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(DemoApp target, String method, String path, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port() + path))
                .timeout(Duration.ofSeconds(20))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private JsonNode json(String text) throws IOException {
        return mapper.readTree(text);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
