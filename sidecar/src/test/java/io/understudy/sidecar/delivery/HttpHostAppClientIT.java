package io.understudy.sidecar.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.understudy.sidecar.log.Entry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The delivery format on the wire, as an app beside a real {@link HttpHostAppClient} receives it. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HttpHostAppClientIT {
    private final ObjectMapper json = new ObjectMapper();
    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private HttpServer app;
    private HttpHostAppClient client;

    @BeforeEach
    void start() throws IOException {
        app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        app.createContext("/understudy/apply", exchange -> record(exchange, "{\"appliedIndex\":2}"));
        app.createContext("/understudy/role", exchange -> record(exchange, "{}"));
        app.start();
        client = new HttpHostAppClient(
                URI.create("http://127.0.0.1:" + app.getAddress().getPort()),
                "catalog",
                "node-1",
                json,
                Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        client.close();
        app.stop(0);
    }

    @Test
    void keylessWriteArrivesWithoutAKeyField() throws Exception {
        byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);
        client.apply(
                0,
                List.of(
                        new Entry(0, 1, 1, 1764200000000L, "", "", payload),
                        new Entry(0, 1, 2, 1764200000001L, "lamp", "application/json", payload)));

        JsonNode entries = received.poll(10, TimeUnit.SECONDS).path("entries");
        assertFalse(entries.get(0).has("key"), () -> "a keyless write has no key field: " + entries.get(0));
        assertEquals("lamp", entries.get(1).path("key").asText());
    }

    @Test
    void snapshotStreamsTheAppsBytesWithTheIndexAndInstallSendsThemBack() throws Exception {
        byte[] state = "{\"items\":{\"lamp\":1}}".getBytes(StandardCharsets.UTF_8);
        BlockingQueue<String> installs = new LinkedBlockingQueue<>();
        app.createContext("/understudy/snapshot", exchange -> {
            if (exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Understudy-Applied-Index", "7");
                exchange.sendResponseHeaders(200, state.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(state);
                }
                return;
            }
            installs.add(exchange.getRequestURI().getQuery() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = "{\"appliedIndex\":7}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });

        HostAppClient.AppSnapshot snapshot = client.snapshot(0).orElseThrow();
        byte[] bytes;
        try (snapshot) {
            bytes = snapshot.bytes().readAllBytes();
        }
        client.installSnapshot(2, 7, new java.io.ByteArrayInputStream(bytes));

        assertEquals(7, snapshot.appliedIndex());
        assertEquals("partition=2&index=7 {\"items\":{\"lamp\":1}}", installs.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void appWithoutSnapshotsAnswers404AndTheClientSaysUnsupported() throws Exception {
        assertTrue(client.snapshot(0).isEmpty(), "no /understudy/snapshot served: 404, no snapshot support");
    }

    private void record(HttpExchange exchange, String answer) throws IOException {
        received.add(json.readTree(exchange.getRequestBody().readAllBytes()));
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
