package io.understudy.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The delivery contract's app side (see DELIVERY.md): the endpoints the sidecar calls. */
public final class DeliveryHandlers {
    private static final Logger log = LoggerFactory.getLogger(DeliveryHandlers.class);
    /** The header that says which index a snapshot reflects (DELIVERY.md). */
    static final String APPLIED_INDEX_HEADER = "Understudy-Applied-Index";
    /** A snapshot the app installs: the whole catalog of a partition, so more than an apply batch. */
    static final long MAX_SNAPSHOT_BYTES = 1L << 30;

    private final CatalogStore store;
    private final RoleBoard roles;
    private final Json json;

    public DeliveryHandlers(CatalogStore store, RoleBoard roles, Json json) {
        this.store = store;
        this.roles = roles;
        this.json = json;
    }

    /** {@code POST /understudy/apply}: applies committed entries; 409 names the index to resume from. */
    public CompletionStage<Reply> apply(HttpServerExchange exchange) throws IOException {
        JsonNode body = body(exchange);
        int partition = partition(body);
        JsonNode entries = body.path("entries");
        if (!entries.isArray()) {
            throw ApiException.badRequest("'entries' must be an array of entries");
        }
        List<Delivered> batch = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            batch.add(entry(entries.get(i), "entries[" + i + "]"));
        }
        ApplyResult result = store.apply(partition, batch);
        ObjectNode reply = json.object().put("appliedIndex", result.appliedIndex());
        if (result.outcome() == ApplyResult.Outcome.GAP) {
            String error = "gap: expected index " + result.expectedIndex() + ", got " + result.gapIndex();
            log.info(
                    "[p{}] {} from {}; asking for redelivery from {}",
                    partition,
                    error,
                    body.path("member").asText("?"),
                    result.expectedIndex());
            return done(json.reply(409, reply.put("error", error)));
        }
        if (result.applied() > 0) {
            log.debug("[p{}] applied {} entries, now at index {}", partition, result.applied(), result.appliedIndex());
        }
        return done(json.reply(200, reply));
    }

    /** {@code POST /understudy/role}: records this member's role in a partition. */
    public CompletionStage<Reply> role(HttpServerExchange exchange) throws IOException {
        JsonNode body = body(exchange);
        int partition = partition(body);
        String role = body.path("role").asText("");
        if (role.isEmpty()) {
            throw ApiException.badRequest("'role' is required (leader, follower or failed)");
        }
        long epoch = body.path("epoch").asLong(0);
        String leader = body.hasNonNull("leader") ? body.get("leader").asText() : null;
        roles.record(partition, new RoleBoard.Role(role, epoch, leader));
        log.info(
                "[p{} e{}] this member is now {}; leader {}", partition, epoch, role, leader == null ? "none" : leader);
        return done(json.reply(200, json.object()));
    }

    /** {@code GET /understudy/position}: the applied index this app really holds, per partition. */
    public CompletionStage<Reply> position(HttpServerExchange exchange) {
        ObjectNode reply = json.object();
        reply.set("partitions", applied());
        return done(json.reply(200, reply));
    }

    /**
     * {@code GET /understudy/snapshot?partition=P}: the partition's items and applied index as one JSON document
     * ({@code {"partition": P, "appliedIndex": A, "items": {...}}}), with {@code Understudy-Applied-Index: A}.
     */
    public CompletionStage<Reply> snapshot(HttpServerExchange exchange) {
        int partition = partitionParam(exchange);
        CatalogStore.PartitionState state = store.snapshot(partition);
        ObjectNode body = json.object().put("partition", partition).put("appliedIndex", state.appliedIndex());
        ObjectNode items = body.putObject("items");
        state.items().forEach(items::set);
        log.info(
                "[p{}] snapshot taken at index {}: {} items",
                partition,
                state.appliedIndex(),
                state.items().size());
        return done(new Reply(
                200,
                "application/octet-stream",
                json.bytes(body),
                Map.of(APPLIED_INDEX_HEADER, Long.toString(state.appliedIndex()))));
    }

    /**
     * {@code PUT /understudy/snapshot?partition=P&index=A}: replaces the partition's state with the snapshot in the
     * body (as {@link #snapshot} wrote it) and sets its applied index to {@code A}.
     */
    public CompletionStage<Reply> installSnapshot(HttpServerExchange exchange) throws IOException {
        int partition = partitionParam(exchange);
        long index = Query.number(exchange, "index", 0, Long.MAX_VALUE)
                .orElseThrow(() -> ApiException.badRequest("query parameter 'index' is required"));
        exchange.setMaxEntitySize(MAX_SNAPSHOT_BYTES);
        JsonNode body;
        try {
            body = json.read(exchange.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw ApiException.badRequest("the snapshot must be a JSON object: " + Json.reason(e));
        }
        JsonNode items = body.path("items");
        if (!items.isObject()) throw ApiException.badRequest("the snapshot has no 'items' object");
        SortedMap<String, JsonNode> held = new TreeMap<>();
        items.fields().forEachRemaining(item -> held.put(item.getKey(), item.getValue()));
        store.install(partition, new CatalogStore.PartitionState(index, held));
        log.info("[p{}] snapshot installed at index {}: {} items", partition, index, held.size());
        return done(json.reply(200, json.object().put("appliedIndex", index)));
    }

    /** {@code GET /understudy/status}: item count, applied indexes and roles, for people. */
    public CompletionStage<Reply> status(HttpServerExchange exchange) {
        ObjectNode reply = json.object().put("items", store.size());
        reply.set("applied", applied());
        ObjectNode byPartition = reply.putObject("roles");
        roles.snapshot()
                .forEach((partition, role) -> byPartition
                        .putObject(String.valueOf(partition))
                        .put("role", role.role())
                        .put("epoch", role.epoch())
                        .put("leader", role.leader()));
        reply.put("waitingReaders", store.waiting());
        return done(json.reply(200, reply));
    }

    private ObjectNode applied() {
        ObjectNode applied = json.object();
        store.positions().forEach((partition, index) -> applied.put(String.valueOf(partition), index));
        return applied;
    }

    private Delivered entry(JsonNode entry, String where) {
        JsonNode index = entry.path("index");
        if (!index.canConvertToLong() || !index.isIntegralNumber() || index.asLong() < 1) {
            throw ApiException.badRequest(where + ".index must be a whole number >= 1");
        }
        JsonNode payload = entry.path("payload");
        if (!payload.isTextual()) {
            throw ApiException.badRequest(where + ".payload must be a base64 string");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(payload.asText());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(where + ".payload is not valid base64: " + e.getMessage());
        }
        // An entry written without a key carries none (absent or null); "" is read the same way, since no item
        // can have an empty id.
        String key = entry.hasNonNull("key") && !entry.get("key").asText().isEmpty()
                ? entry.get("key").asText()
                : null;
        if (key == null) {
            log.warn("{} (index {}) has no key; it is not an item write, skipping its payload", where, index.asLong());
        }
        return new Delivered(index.asLong(), entry.path("epoch").asLong(0), key, json.valueOfPayload(bytes));
    }

    private JsonNode body(HttpServerExchange exchange) throws IOException {
        byte[] bytes = exchange.getInputStream().readAllBytes();
        JsonNode body;
        try {
            body = json.read(bytes);
        } catch (IOException e) {
            throw ApiException.badRequest("the body must be a JSON object: " + Json.reason(e));
        }
        if (!body.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        return body;
    }

    private static int partitionParam(HttpServerExchange exchange) {
        return (int) Query.number(exchange, "partition", 0, Integer.MAX_VALUE)
                .orElseThrow(() -> ApiException.badRequest("query parameter 'partition' is required"));
    }

    private static int partition(JsonNode body) {
        JsonNode partition = body.path("partition");
        if (!partition.isIntegralNumber() || !partition.canConvertToInt() || partition.asInt() < 0) {
            throw ApiException.badRequest("'partition' must be a whole number >= 0");
        }
        return partition.asInt();
    }

    private static CompletionStage<Reply> done(Reply reply) {
        return CompletableFuture.completedFuture(reply);
    }
}
