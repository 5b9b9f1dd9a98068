package io.understudy.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.PathTemplateMatch;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** The catalog's public API: writes go to the sidecar, reads come from the store. */
public final class CatalogHandlers {
    static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    static final long DEFAULT_WAIT_MS = 5_000;
    static final long MAX_WAIT_MS = 300_000;

    private final CatalogStore store;
    private final SidecarClient sidecar;
    private final Json json;

    public CatalogHandlers(CatalogStore store, SidecarClient sidecar, Json json) {
        this.store = store;
        this.sidecar = sidecar;
        this.json = json;
    }

    /**
     * {@code PUT /items/{id}[?durability=sync|async]}: the write goes through the sidecar, with the client's
     * {@code Idempotency-Key} header if it sent one (a retried PUT then answers the original index).
     */
    public CompletionStage<Reply> putItem(HttpServerExchange exchange) throws IOException {
        String id = id(exchange);
        String durability = Query.text(exchange, "durability").orElse(null);
        if (durability != null && !durability.equals("sync") && !durability.equals("async")) {
            throw ApiException.badRequest("durability must be 'sync' or 'async', got '" + durability + "'");
        }
        byte[] body = exchange.getInputStream().readAllBytes();
        try {
            json.read(body);
        } catch (IOException e) {
            throw ApiException.badRequest("the body must be the item as one JSON value: " + Json.reason(e));
        }
        String idempotencyKey = exchange.getRequestHeaders().getFirst(SidecarClient.IDEMPOTENCY_KEY);
        return sidecar.append(id, durability, idempotencyKey, body)
                .handle((answer, error) -> error == null ? acknowledged(id, answer) : unreachable(error));
    }

    /** {@code GET /items/{id}[?minIndex=N&partition=P&timeoutMs=T]}. */
    public CompletionStage<Reply> getItem(HttpServerExchange exchange) {
        String id = id(exchange);
        return afterMinIndex(
                exchange,
                () -> store.get(id)
                        .map(value ->
                                json.reply(200, json.object().put("id", id).set("value", value)))
                        .orElseGet(() -> json.error(404, "no item '" + id + "'")));
    }

    /** {@code GET /items[?minIndex=N&partition=P&timeoutMs=T]}: every item, sorted by id. */
    public CompletionStage<Reply> getItems(HttpServerExchange exchange) {
        return afterMinIndex(exchange, () -> {
            ObjectNode all = json.object();
            store.items().forEach(all::set);
            return json.reply(200, all);
        });
    }

    public CompletionStage<Reply> health(HttpServerExchange exchange) {
        return CompletableFuture.completedFuture(json.reply(200, json.object().put("status", "ok")));
    }

    public CompletionStage<Reply> index(HttpServerExchange exchange) {
        String page = String.join(
                "\n",
                "Understudy demo app: an in-memory catalog replicated by its sidecar (" + sidecar.baseUrl() + ").",
                "",
                "PUT  /items/{id}[?durability=sync|async]   store a JSON value (through the sidecar); answers its index",
                "     header Idempotency-Key: K              a retry with the same K answers the same index",
                "GET  /items/{id}[?minIndex=N&partition=P&timeoutMs=T]   one item, after index N is applied",
                "GET  /items[?minIndex=N&partition=P&timeoutMs=T]        all items, sorted by id",
                "GET  /health",
                "",
                "Called by the sidecar (see DELIVERY.md):",
                "POST /understudy/apply      committed entries, in order",
                "POST /understudy/role       this member's role in a partition",
                "GET  /understudy/position   the applied index of each partition",
                "GET  /understudy/snapshot?partition=P            a partition's state (items and applied index)",
                "PUT  /understudy/snapshot?partition=P&index=A    replace a partition's state with a snapshot",
                "GET  /understudy/status     items, applied indexes, roles",
                "");
        return CompletableFuture.completedFuture(Reply.text(200, "text/plain; charset=utf-8", page));
    }

    /** Answers {@code read} once the requested index is applied locally, or 504 at the deadline. */
    private CompletionStage<Reply> afterMinIndex(HttpServerExchange exchange, Supplier<Reply> read) {
        OptionalLong minIndex = Query.number(exchange, "minIndex", 0, Long.MAX_VALUE);
        long partition =
                Query.number(exchange, "partition", 0, Integer.MAX_VALUE).orElse(0);
        long timeoutMs = Query.number(exchange, "timeoutMs", 0, MAX_WAIT_MS).orElse(DEFAULT_WAIT_MS);
        if (minIndex.isEmpty()) {
            return CompletableFuture.completedFuture(read.get());
        }
        long index = minIndex.getAsLong();
        return store.awaitApplied((int) partition, index, Duration.ofMillis(timeoutMs))
                .handle((applied, error) -> {
                    if (error == null) {
                        return read.get();
                    }
                    if (unwrap(error) instanceof TimeoutException) {
                        return json.error(
                                504,
                                "index " + index + " of partition " + partition + " not applied within " + timeoutMs
                                        + " ms");
                    }
                    throw new CompletionException(error);
                });
    }

    private Reply acknowledged(String id, SidecarClient.Answer answer) {
        JsonNode body = json.parse(answer.body()).orElse(null);
        if (answer.status() != 200) {
            if (body != null && body.isObject() && body.hasNonNull("error")) {
                return new Reply(answer.status(), "application/json", answer.body());
            }
            String text = new String(answer.body(), StandardCharsets.UTF_8).strip();
            return json.error(
                    answer.status(),
                    "sidecar at " + sidecar.baseUrl() + " answered " + answer.status() + ": " + abbreviate(text));
        }
        if (body == null
                || !body.path("index").canConvertToLong()
                || !body.path("partition").canConvertToInt()) {
            return json.error(
                    502,
                    "sidecar at " + sidecar.baseUrl() + " acknowledged the write with an unreadable"
                            + " body; check that --sidecar points at an Understudy local API");
        }
        ObjectNode reply = json.object().put("id", id);
        reply.set("partition", body.get("partition"));
        reply.set("epoch", body.path("epoch"));
        reply.set("index", body.get("index"));
        return json.reply(200, reply);
    }

    private Reply unreachable(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof HttpTimeoutException) {
            return json.error(
                    504,
                    "sidecar at " + sidecar.baseUrl() + " did not answer within "
                            + sidecar.timeout().toMillis() + " ms; the write may or may not be committed"
                            + " (a PUT retried with the same Idempotency-Key header is written at most once)");
        }
        if (cause instanceof IOException) {
            String reason = cause.getMessage() == null
                    ? "connection failed (" + cause.getClass().getSimpleName() + "); is the sidecar running?"
                    : cause.getMessage();
            return json.error(502, "sidecar at " + sidecar.baseUrl() + " is unreachable: " + reason);
        }
        throw new CompletionException(cause);
    }

    private static String id(HttpServerExchange exchange) {
        PathTemplateMatch match = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
        String id = match == null ? "" : match.getParameters().getOrDefault("id", "");
        if (!ID.matcher(id).matches()) {
            throw ApiException.badRequest("item id must be 1 to 128 characters of A-Z, a-z, 0-9, '.', '_' or '-', got '"
                    + abbreviate(id) + "'");
        }
        return id;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
