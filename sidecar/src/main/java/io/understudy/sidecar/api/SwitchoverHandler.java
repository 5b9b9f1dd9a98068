package io.understudy.sidecar.api;

import io.understudy.sidecar.replication.ReplicaSet;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /v1/switchover?partition=P&to=MEMBER[&timeoutMs=N]} (any member: one that does not lead P relays it
 * to the leader) and {@code POST /peer/v1/switchover} (the relayed request, answered by the leader only). Answers
 * {@code {"partition","from","to","epoch"}} once MEMBER leads P.
 */
public final class SwitchoverHandler implements HttpHandler {
    /** The time-out when the request names none. */
    public static final long DEFAULT_TIMEOUT_MS = 10_000;

    private static final long MAX_TIMEOUT_MS = 300_000;

    private final ReplicaSet replicas;
    private final Responses responses;
    private final boolean relay;

    /** @param relay whether a member that does not lead the partition relays the request to the leader */
    public SwitchoverHandler(ReplicaSet replicas, Responses responses, boolean relay) {
        this.replicas = replicas;
        this.responses = responses;
        this.relay = relay;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        int partition = Params.requiredInt(exchange, "partition", 0);
        String target = Params.string(exchange, "to", "");
        if (target.isBlank())
            throw new BadRequestException("query parameter 'to' (the member to lead next) is missing");
        long timeoutMs = Params.optionalLong(exchange, "timeoutMs", DEFAULT_TIMEOUT_MS, 1);
        if (timeoutMs > MAX_TIMEOUT_MS) {
            throw new BadRequestException("timeoutMs is " + timeoutMs + "; at most " + MAX_TIMEOUT_MS);
        }
        responses.sendWhenDone(
                exchange, replicas.switchover(partition, target, Duration.ofMillis(timeoutMs), relay), done -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("partition", done.partition());
                    body.put("from", done.from());
                    body.put("to", done.to());
                    body.put("epoch", done.epoch());
                    return body;
                });
    }
}
