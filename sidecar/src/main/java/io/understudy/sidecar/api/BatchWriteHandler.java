package io.understudy.sidecar.api;

import io.understudy.sidecar.config.Durability;
import io.understudy.sidecar.metrics.SidecarMetrics;
import io.understudy.sidecar.replication.Ack;
import io.understudy.sidecar.replication.ReplicaSet;
import io.understudy.sidecar.replication.WriteRequest;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /v1/entries/batch} (from the host app) and {@code POST /peer/v1/forward-batch} (a follower handing
 * the items of one partition to its leader): many writes in one request ({@link BatchCodec}), each answered as a
 * single write would be, in order, under {@code "results"}. 200 when every item is acknowledged, 207 when any
 * failed (each failed item carries its own {@code status}, {@code code}, {@code message} and {@code outcome}).
 */
public final class BatchWriteHandler implements HttpHandler {
    static final int MULTI_STATUS = 207;

    /** Per-item answers, in the request's order, and whether all of them are acknowledgements. */
    private record Answer(List<Object> results, boolean allAcknowledged) {}

    private final ReplicaSet replicas;
    private final Responses responses;
    private final BatchCodec codec;
    private final Durability defaultDurability;
    private final long maxBodyBytes;
    private final boolean forwarded;
    private final SidecarMetrics metrics;
    private final RequestBodies bodies;

    public BatchWriteHandler(
            ReplicaSet replicas,
            Responses responses,
            BatchCodec codec,
            Durability defaultDurability,
            long maxBodyBytes,
            boolean forwarded,
            SidecarMetrics metrics,
            BodyBudget bodies) {
        this.replicas = replicas;
        this.responses = responses;
        this.codec = codec;
        this.defaultDurability = defaultDurability;
        this.maxBodyBytes = maxBodyBytes;
        this.forwarded = forwarded;
        this.metrics = metrics;
        this.bodies = new RequestBodies(bodies);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        Durability durability =
                WriteFields.durability("durability", Params.string(exchange, "durability", null), defaultDurability);
        bodies.admit(exchange, maxBodyBytes, forwarded ? "twice api.maxBodyBytes" : "api.maxBodyBytes");
        exchange.getRequestReceiver()
                .receiveFullBytes(
                        (ex, body) -> {
                            List<WriteRequest> requests;
                            try {
                                requests = codec.decode(body, replicas::partitionOf, durability);
                            } catch (BadRequestException e) {
                                responses.sendError(ex, e);
                                return;
                            }
                            long started = System.nanoTime();
                            List<CompletableFuture<Ack>> acks = replicas.writeBatch(requests, forwarded);
                            if (!forwarded) count(requests, acks, started); // forwarded ones count where they entered
                            responses.sendWhenDone(
                                    ex,
                                    answerOf(acks),
                                    answer -> answer.allAcknowledged() ? 200 : MULTI_STATUS,
                                    answer -> Map.of("results", answer.results()));
                        },
                        (ex, error) -> responses.sendError(ex, error));
    }

    private CompletableFuture<Answer> answerOf(List<CompletableFuture<Ack>> acks) {
        return CompletableFuture.allOf(
                        acks.stream().map(f -> f.handle((ack, error) -> null)).toArray(CompletableFuture[]::new))
                .thenApply(done -> {
                    List<Object> results = new ArrayList<>(acks.size());
                    boolean all = true;
                    for (CompletableFuture<Ack> f : acks) {
                        try {
                            results.add(acknowledged(f.join()));
                        } catch (RuntimeException e) {
                            results.add(responses.itemError(e));
                            all = false;
                        }
                    }
                    return new Answer(results, all);
                });
    }

    private static Map<String, Object> acknowledged(Ack ack) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("status", 200);
        item.put("partition", ack.partition());
        item.put("epoch", ack.epoch());
        item.put("index", ack.index());
        item.put("leader", ack.leader());
        return item;
    }

    private void count(List<WriteRequest> requests, List<CompletableFuture<Ack>> acks, long started) {
        for (int i = 0; i < requests.size(); i++) {
            String durability = requests.get(i).durability().name();
            acks.get(i)
                    .whenComplete((ack, error) -> metrics.write(
                            durability,
                            error == null ? "ok" : Integer.toString(responses.statusOf(error)),
                            Duration.ofNanos(System.nanoTime() - started)));
        }
    }
}
