package io.understudy.sidecar.api.local;

import io.understudy.sidecar.api.BadRequestException;
import io.understudy.sidecar.api.Params;
import io.understudy.sidecar.api.Responses;
import io.understudy.sidecar.delivery.DeliveryLoop;
import io.understudy.sidecar.replication.ReplicaSet;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * {@code POST /v1/redeliver[?partition=P[&position=N]]}: the app asks to be delivered again from what it really
 * holds (e.g. at its start, after losing its state). With {@code position}, it says what it holds in partition P;
 * without, the sidecar asks it ({@code GET /understudy/position}). Without {@code partition}, every partition.
 * Answers {@code {"partitions": {"P": A}}}, the applied index recorded now, once status and {@code /v1/wait}
 * reflect it; delivery resumes from {@code A + 1}.
 */
public final class RedeliverHandler implements HttpHandler {
    private final ReplicaSet replicas;
    private final List<DeliveryLoop> deliveries;
    private final Responses responses;

    public RedeliverHandler(ReplicaSet replicas, List<DeliveryLoop> deliveries, Responses responses) {
        this.replicas = replicas;
        this.deliveries = deliveries;
        this.responses = responses;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        boolean onePartition = exchange.getQueryParameters().containsKey("partition");
        OptionalLong position = exchange.getQueryParameters().containsKey("position")
                ? OptionalLong.of(Params.requiredLong(exchange, "position", 0))
                : OptionalLong.empty();
        if (position.isPresent() && !onePartition) {
            throw new BadRequestException("query parameter 'position' needs 'partition'");
        }
        List<Integer> partitions;
        if (onePartition) {
            int partition = (int) Params.requiredLong(exchange, "partition", 0);
            replicas.replica(partition);
            partitions = List.of(partition);
        } else {
            partitions = IntStream.range(0, deliveries.size()).boxed().toList();
        }
        Map<String, CompletableFuture<Long>> recorded = new TreeMap<>();
        for (int p : partitions)
            recorded.put(Integer.toString(p), deliveries.get(p).redeliver(position));
        CompletableFuture<Object> answer = CompletableFuture.allOf(
                        recorded.values().toArray(CompletableFuture[]::new))
                .thenApply(done -> {
                    Map<String, Long> applied = new TreeMap<>();
                    recorded.forEach((p, future) -> applied.put(p, future.join()));
                    return Map.of("partitions", applied);
                });
        responses.sendWhenDone(exchange, answer, body -> body);
    }
}
