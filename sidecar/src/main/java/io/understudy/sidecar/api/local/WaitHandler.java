package io.understudy.sidecar.api.local;

import io.understudy.sidecar.api.ErrorCode;
import io.understudy.sidecar.api.Outcome;
import io.understudy.sidecar.api.Params;
import io.understudy.sidecar.api.Responses;
import io.understudy.sidecar.api.StatusException;
import io.understudy.sidecar.delivery.DeliveryLoop;
import io.understudy.sidecar.log.PartitionLog;
import io.understudy.sidecar.replication.ReplicaSet;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code GET /v1/wait?partition=P&index=I&timeoutMs=T[&epoch=E]} (or {@code key=K} instead of partition):
 * answers once this member's app has applied index I (read-your-writes). With {@code epoch}, it also checks that
 * index I still holds the write acknowledged in that epoch and says so (409) when an async write was lost.
 */
public final class WaitHandler implements HttpHandler {
    private static final long MAX_TIMEOUT_MS = 300_000;

    private final ReplicaSet replicas;
    private final List<DeliveryLoop> deliveries;
    private final Responses responses;

    public WaitHandler(ReplicaSet replicas, List<DeliveryLoop> deliveries, Responses responses) {
        this.replicas = replicas;
        this.deliveries = deliveries;
        this.responses = responses;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        int partition = exchange.getQueryParameters().containsKey("key")
                ? replicas.partitionOf(Params.string(exchange, "key", ""))
                : Params.optionalInt(exchange, "partition", 0, 0);
        replicas.replica(partition);
        long index = Params.requiredLong(exchange, "index", 0);
        long timeoutMs = Math.min(Params.optionalLong(exchange, "timeoutMs", 5_000, 0), MAX_TIMEOUT_MS);
        long epoch = Params.optionalLong(exchange, "epoch", 0, 0);
        DeliveryLoop delivery = deliveries.get(partition);
        CompletableFuture<Object> answer = delivery.waiters()
                .await(index)
                .orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                .handle((applied, error) -> {
                    if (error instanceof TimeoutException) {
                        throw new StatusException(
                                ErrorCode.TIMEOUT,
                                Outcome.REJECTED,
                                "index " + index + " of partition " + partition + " not applied within " + timeoutMs
                                        + " ms (applied: " + delivery.appliedIndex() + ")");
                    }
                    if (error != null) throw new StatusException(ErrorCode.INTERNAL, error.toString());
                    long held = replicas.replica(partition).log().epochAt(index);
                    if (lost(held, epoch)) {
                        throw new StatusException(
                                ErrorCode.ENTRY_LOST,
                                "index " + index + " of partition " + partition
                                        + " holds an entry of epoch " + held + ", not " + epoch
                                        + ": the write acknowledged in epoch " + epoch + " was lost (an async write)");
                    }
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("partition", partition);
                    body.put("index", index);
                    body.put("appliedIndex", applied);
                    body.put("epoch", held == PartitionLog.TRIMMED ? null : held);
                    return body;
                });
        responses.sendWhenDone(exchange, answer, body -> body);
    }

    /**
     * Whether index I holds an entry of another epoch than {@code epoch}, the one its write was acknowledged in.
     * Unknown, so false, once I is below the log's base: the entry is gone from the log (a snapshot covers it).
     */
    static boolean lost(long held, long epoch) {
        return epoch > 0 && held != epoch && held != PartitionLog.TRIMMED;
    }
}
