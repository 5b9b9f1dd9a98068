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
 * A host app for tests: implements the delivery contract (DELIVERY.md) and records every entry it applied, per
 * partition and in order, so tests can compare members. It flags gaps instead of hiding them.
 */
final class TestApp implements AutoCloseable {
    record Applied(int partition, long index, long epoch, String key, String payload) {}

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final Map<Integer, List<Applied>> applied = new java.util.TreeMap<>();
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

    /** Everything applied, partition after partition. */
    synchronized List<Applied> applied() {
        return applied.values().stream().flatMap(List::stream).toList();
    }

    synchronized List<String> keys() {
        return applied().stream().map(Applied::key).toList();
    }

    synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    private void apply(HttpExchange exchange) throws IOException {
        JsonNode body = json.readTree(exchange.getRequestBody());
        long appliedIndex;
        int partition = body.get("partition").asInt();
        synchronized (this) {
            List<Applied> log = applied.computeIfAbsent(partition, p -> new ArrayList<>());
            for (JsonNode entry : body.get("entries")) {
                long index = entry.get("index").asLong();
                if (index <= log.size()) continue;
                if (index != log.size() + 1) {
                    problems.add("p" + partition + " gap: expected " + (log.size() + 1) + ", got " + index);
                    answer(exchange, 409, Map.of("appliedIndex", log.size()));
                    return;
                }
                log.add(new Applied(partition, index, entry.get("epoch").asLong(), entry.get("key").asText(),
                        new String(entry.get("payload").binaryValue(), StandardCharsets.UTF_8)));
            }
            appliedIndex = log.size();
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
