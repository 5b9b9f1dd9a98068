package io.understudy.sidecar.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A host app for tests beside one member, implementing the delivery contract (apply, role, position) and recording, per
 * partition, every entry it applied in order. It lives in the test JVM and outlives the sidecar's kills and restarts, as a real app would.
 * It notes every breach of the contract it can see on its own: a redelivered index whose entry differs from the
 * one applied there (a committed entry changed), or a malformed batch.
 */
public final class RecordingApp implements AutoCloseable {
    /** One applied entry. */
    public record Applied(long index, long epoch, String key, String payload) {}

    /** One role notice the app accepted ({@code POST /understudy/role}). */
    public record RoleNotice(int partition, String role, long epoch, String leader) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String member;
    private final HttpServer server;
    private final Map<Integer, List<Applied>> applied = new ConcurrentHashMap<>();
    private final List<String> anomalies = new CopyOnWriteArrayList<>();
    private volatile boolean refuseApplies;
    private volatile boolean refuseRoles;
    private volatile boolean servesSnapshots;
    private final List<Long> installs = new CopyOnWriteArrayList<>();
    private final List<RoleNotice> roles = new CopyOnWriteArrayList<>();

    public RecordingApp(String member) throws IOException {
        this.member = member;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/understudy/apply", this::apply);
        server.createContext("/understudy/role", this::role);
        server.createContext("/understudy/position", this::position);
        server.createContext("/understudy/snapshot", this::snapshot);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "app-" + member);
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A copy of what was applied to {@code partition}, in order. */
    public synchronized List<Applied> applied(int partition) {
        return List.copyOf(applied.getOrDefault(partition, List.of()));
    }

    public synchronized long appliedIndex(int partition) {
        List<Applied> list = applied.getOrDefault(partition, List.of());
        return list.isEmpty() ? 0 : list.get(list.size() - 1).index();
    }

    /**
     * Loses everything applied and every role notice, as the app restarted with empty memory would (its position
     * is 0 again).
     */
    public synchronized void forget() {
        applied.clear();
        roles.clear();
    }

    /** While set, every apply is answered 500 (the app is up, answers its position, but cannot apply). */
    public void refuseApplies(boolean refuse) {
        this.refuseApplies = refuse;
    }

    /**
     * While set, the app serves {@code GET/PUT /understudy/snapshot} (DELIVERY.md): a snapshot is every entry it
     * applied to the partition (so that after an install it still knows each index's entry); while not, both
     * answer 404 (no snapshot support).
     */
    public RecordingApp serveSnapshots(boolean serve) {
        this.servesSnapshots = serve;
        return this;
    }

    /** The indexes of the snapshots installed into this app, in order. */
    public List<Long> installs() {
        return List.copyOf(installs);
    }

    /** While set, every role notice is answered 500 (and not recorded). */
    public void refuseRoles(boolean refuse) {
        this.refuseRoles = refuse;
    }

    /** The last role notice accepted for {@code partition}, or null if none. */
    public RoleNotice lastRole(int partition) {
        RoleNotice last = null;
        for (RoleNotice notice : roles) if (notice.partition() == partition) last = notice;
        return last;
    }

    /** Breaches of the delivery contract seen so far (empty when all is well). */
    public List<String> anomalies() {
        return List.copyOf(anomalies);
    }

    /** Everything applied, partition after partition in partition order. */
    public synchronized List<Applied> applied() {
        return new java.util.TreeMap<>(applied)
                .values().stream().flatMap(List::stream).toList();
    }

    /** The keys of everything applied, partition after partition. */
    public List<String> keys() {
        return applied().stream().map(Applied::key).toList();
    }

    private void apply(HttpExchange exchange) throws IOException {
        if (refuseApplies) {
            exchange.getRequestBody().readAllBytes();
            respond(exchange, 500, "{\"error\":\"refusing applies (test)\"}");
            return;
        }
        JsonNode batch;
        try {
            batch = JSON.readTree(exchange.getRequestBody().readAllBytes());
        } catch (IOException e) {
            anomalies.add(member + ": unreadable apply batch: " + e);
            respond(exchange, 400, "{\"error\":\"unreadable batch\"}");
            return;
        }
        int partition = batch.path("partition").asInt();
        long appliedIndex;
        int status;
        synchronized (this) {
            List<Applied> list = applied.computeIfAbsent(partition, p -> new ArrayList<>());
            status = 200;
            for (JsonNode e : batch.path("entries")) {
                Applied entry = new Applied(
                        e.path("index").asLong(),
                        e.path("epoch").asLong(),
                        e.path("key").asText(),
                        new String(Base64.getDecoder().decode(e.path("payload").asText("")), StandardCharsets.UTF_8));
                long current = list.isEmpty() ? 0 : list.get(list.size() - 1).index();
                if (entry.index() <= current) {
                    Applied held = list.get((int) entry.index() - 1);
                    if (!held.equals(entry)) {
                        anomalies.add(member + " p" + partition + ": index " + entry.index() + " redelivered as "
                                + entry + " but " + held + " was applied there (a committed entry changed)");
                    }
                } else if (entry.index() == current + 1) {
                    list.add(entry);
                } else {
                    status = 409; // a gap: the contract says answer where we are and get redelivery from there
                    break;
                }
            }
            appliedIndex = list.isEmpty() ? 0 : list.get(list.size() - 1).index();
        }
        respond(exchange, status, "{\"appliedIndex\":" + appliedIndex + "}");
    }

    private void role(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        if (refuseRoles) {
            respond(exchange, 500, "{\"error\":\"refusing role notices (test)\"}");
            return;
        }
        roles.add(new RoleNotice(
                body.path("partition").asInt(),
                body.path("role").asText(),
                body.path("epoch").asLong(),
                body.hasNonNull("leader") ? body.get("leader").asText() : null));
        respond(exchange, 200, "{}");
    }

    /** {@code GET /understudy/position}: what this app really holds, so a restarted sidecar delivers from there. */
    private void position(HttpExchange exchange) throws IOException {
        StringBuilder body = new StringBuilder("{\"partitions\":{");
        synchronized (this) {
            String sep = "";
            for (Map.Entry<Integer, List<Applied>> e : applied.entrySet()) {
                List<Applied> list = e.getValue();
                body.append(sep)
                        .append('"')
                        .append(e.getKey())
                        .append("\":")
                        .append(list.isEmpty() ? 0 : list.get(list.size() - 1).index());
                sep = ",";
            }
        }
        respond(exchange, 200, body.append("}}").toString());
    }

    private void snapshot(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (!servesSnapshots) {
            respond(exchange, 404, "{\"error\":\"no snapshots (test)\"}");
            return;
        }
        Map<String, String> query = new java.util.HashMap<>();
        for (String pair : exchange.getRequestURI().getQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        int partition = Integer.parseInt(query.get("partition"));
        if (exchange.getRequestMethod().equals("GET")) {
            byte[] state;
            long index;
            synchronized (this) {
                List<Applied> list = applied.getOrDefault(partition, List.of());
                index = list.isEmpty() ? 0 : list.get(list.size() - 1).index();
                state = JSON.writeValueAsBytes(list);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.getResponseHeaders().set("Understudy-Applied-Index", Long.toString(index));
            exchange.sendResponseHeaders(200, state.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(state);
            }
            return;
        }
        long index = Long.parseLong(query.get("index"));
        List<Applied> list = new ArrayList<>(List.of(JSON.readValue(body, Applied[].class)));
        if (list.size() != index
                || (!list.isEmpty() && list.get(list.size() - 1).index() != index)) {
            anomalies.add(member + " p" + partition + ": snapshot at " + index + " holds " + list.size() + " entries");
        }
        synchronized (this) {
            applied.put(partition, list);
        }
        installs.add(index);
        respond(exchange, 200, "{\"appliedIndex\":" + index + "}");
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
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
