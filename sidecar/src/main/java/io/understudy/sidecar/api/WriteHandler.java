package io.understudy.sidecar.api;

import io.understudy.sidecar.config.Durability;
import io.understudy.sidecar.log.IdempotencyKey;
import io.understudy.sidecar.metrics.SidecarMetrics;
import io.understudy.sidecar.replication.OverloadedException;
import io.understudy.sidecar.replication.ReplicaSet;
import io.understudy.sidecar.replication.WriteRequest;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code POST /v1/entries} (from the host app) and {@code POST /peer/v1/forward} (a follower handing a write to
 * its leader): the body is the payload, {@code key}, {@code durability} and {@code partition} come in the query,
 * and an optional {@code Idempotency-Key} header (1 to 128 visible ASCII characters) makes a retry safe.
 */
public final class WriteHandler implements HttpHandler {
    private static final int MAX_KEY_CHARS = 1024;
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final ReplicaSet replicas;
    private final Responses responses;
    private final Durability defaultDurability;
    private final long maxBodyBytes;
    private final boolean forwarded;
    private final SidecarMetrics metrics;
    private final BodyBudget bodies;

    public WriteHandler(
            ReplicaSet replicas,
            Responses responses,
            Durability defaultDurability,
            long maxBodyBytes,
            boolean forwarded,
            SidecarMetrics metrics,
            BodyBudget bodies) {
        this.metrics = metrics;
        this.bodies = bodies;
        this.replicas = replicas;
        this.responses = responses;
        this.defaultDurability = defaultDurability;
        this.maxBodyBytes = maxBodyBytes;
        this.forwarded = forwarded;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String key = Params.string(exchange, "key", "");
        if (key.length() > MAX_KEY_CHARS) {
            throw new BadRequestException("key is " + key.length() + " characters; at most " + MAX_KEY_CHARS);
        }
        Durability durability = durability(Params.string(exchange, "durability", null));
        int partition = forwarded || exchange.getQueryParameters().containsKey("partition")
                ? Params.requiredInt(exchange, "partition", 0)
                : replicas.partitionOf(key);
        replicas.replica(partition);
        reserveBody(exchange);
        String contentType = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        String idempotencyKey = idempotencyKey(exchange.getRequestHeaders().getFirst(IDEMPOTENCY_KEY));
        exchange.setMaxEntitySize(maxBodyBytes);
        exchange.getRequestReceiver()
                .receiveFullBytes(
                        (ex, body) -> {
                            String type = contentType == null ? "" : contentType;
                            WriteRequest request = new WriteRequest(
                                    partition,
                                    key,
                                    type,
                                    body,
                                    durability,
                                    idempotencyKey == null ? null : IdempotencyKey.of(idempotencyKey, key, type, body));
                            long started = System.nanoTime();
                            responses.sendWhenDone(
                                    ex,
                                    replicas.write(request, forwarded).whenComplete((ack, error) -> {
                                        if (forwarded) return; // counted where it entered
                                        String outcome =
                                                error == null ? "ok" : Integer.toString(responses.statusOf(error));
                                        metrics.write(
                                                durability.name(),
                                                outcome,
                                                Duration.ofNanos(System.nanoTime() - started));
                                    }),
                                    ack -> ack);
                        },
                        (ex, error) -> responses.sendError(ex, error));
    }

    /** The header's value, or null without one; 400 unless it is 1 to 128 visible ASCII characters. */
    private static String idempotencyKey(String value) {
        if (value == null) return null;
        if (value.isEmpty() || value.length() > IdempotencyKey.MAX_KEY_BYTES) {
            throw new BadRequestException(IDEMPOTENCY_KEY + " is " + value.length() + " characters; expected 1 to "
                    + IdempotencyKey.MAX_KEY_BYTES);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new BadRequestException(IDEMPOTENCY_KEY + " holds a character other than visible ASCII at " + i
                        + "; use letters, digits and punctuation (a UUID, for example)");
            }
        }
        return value;
    }

    /**
     * Reserves the body's bytes before reading it (its declared length, or the limit when it is chunked), until
     * the exchange ends: a body that does not fit the budget is refused unread.
     */
    private void reserveBody(HttpServerExchange exchange) {
        long declared = exchange.getRequestContentLength();
        if (declared > maxBodyBytes) {
            throw new StatusException(
                    ErrorCode.TOO_LARGE,
                    "request body of " + declared + " bytes is over api.maxBodyBytes (" + maxBodyBytes + ")");
        }
        long reserved = declared >= 0 ? declared : maxBodyBytes;
        if (!bodies.tryReserve(reserved)) {
            throw new OverloadedException(
                    "request bodies in memory reached " + bodies.capacity() + " bytes; retry shortly");
        }
        exchange.addExchangeCompleteListener((ex, next) -> {
            bodies.release(reserved);
            next.proceed();
        });
    }

    private Durability durability(String value) {
        if (value == null) return defaultDurability;
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "sync" -> Durability.SYNC;
            case "async" -> Durability.ASYNC;
            default -> throw new BadRequestException("durability must be 'sync' or 'async', was '" + value + "'");
        };
    }
}
