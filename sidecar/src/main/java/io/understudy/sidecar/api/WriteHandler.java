package io.understudy.sidecar.api;

import io.understudy.sidecar.config.Durability;
import io.understudy.sidecar.log.IdempotencyKey;
import io.understudy.sidecar.metrics.SidecarMetrics;
import io.understudy.sidecar.replication.ReplicaSet;
import io.understudy.sidecar.replication.WriteRequest;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.time.Duration;

/**
 * {@code POST /v1/entries} (from the host app) and {@code POST /peer/v1/forward} (a follower handing a write to
 * its leader): the body is the payload, {@code key}, {@code durability} and {@code partition} come in the query,
 * and an optional {@code Idempotency-Key} header (1 to 128 visible ASCII characters) makes a retry safe.
 */
public final class WriteHandler implements HttpHandler {
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final ReplicaSet replicas;
    private final Responses responses;
    private final Durability defaultDurability;
    private final long maxBodyBytes;
    private final boolean forwarded;
    private final SidecarMetrics metrics;
    private final RequestBodies bodies;

    public WriteHandler(
            ReplicaSet replicas,
            Responses responses,
            Durability defaultDurability,
            long maxBodyBytes,
            boolean forwarded,
            SidecarMetrics metrics,
            BodyBudget bodies) {
        this.metrics = metrics;
        this.bodies = new RequestBodies(bodies);
        this.replicas = replicas;
        this.responses = responses;
        this.defaultDurability = defaultDurability;
        this.maxBodyBytes = maxBodyBytes;
        this.forwarded = forwarded;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String key = WriteFields.key("key", Params.string(exchange, "key", ""));
        Durability durability =
                WriteFields.durability("durability", Params.string(exchange, "durability", null), defaultDurability);
        int partition = forwarded || exchange.getQueryParameters().containsKey("partition")
                ? Params.requiredInt(exchange, "partition", 0)
                : replicas.partitionOf(key);
        replicas.replica(partition);
        bodies.admit(exchange, maxBodyBytes, "api.maxBodyBytes");
        String contentType = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        String idempotencyKey = WriteFields.idempotencyKey(
                IDEMPOTENCY_KEY, exchange.getRequestHeaders().getFirst(IDEMPOTENCY_KEY));
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
}
