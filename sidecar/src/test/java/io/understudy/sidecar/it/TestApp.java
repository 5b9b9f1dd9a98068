package io.understudy.sidecar.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A host app for tests: implements the delivery contract (DELIVERY.md) for one partition and records every
 * entry it applied, in order, so tests can compare members. It flags repeats and gaps instead of hiding them.
 */
final class TestApp implements AutoCloseable {
    record Applied(long index, long epoch, String key, String payload) {}

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final List<Applied> applied = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    TestApp() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/understudy/apply", this::apply);
        server.createContext("/understudy/role", exchange -> answer(exchange, 200, Map.of()));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    synchronized List<Applied> applied() {
        return List.copyOf(applied);
    }

    synchronized List<String> keys() {
        return applied.stream().map(Applied::key).toList();
    }

    synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    private void apply(HttpExchange exchange) throws IOException {
        JsonNode body = json.readTree(exchange.getRequestBody());
        long appliedIndex;
        synchronized (this) {
            for (JsonNode entry : body.get("entries")) {
                long index = entry.get("index").asLong();
                if (index <= applied.size()) continue;
                if (index != applied.size() + 1) {
                    problems.add("gap: expected " + (applied.size() + 1) + ", got " + index);
                    answer(exchange, 409, Map.of("appliedIndex", applied.size()));
                    return;
                }
                applied.add(new Applied(index, entry.get("epoch").asLong(), entry.get("key").asText(),
                        new String(entry.get("payload").binaryValue(), StandardCharsets.UTF_8)));
            }
            appliedIndex = applied.size();
        }
        answer(exchange, 200, Map.of("appliedIndex", appliedIndex));
    }

    private void answer(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
