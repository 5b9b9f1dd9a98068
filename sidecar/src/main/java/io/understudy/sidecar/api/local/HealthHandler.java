package io.understudy.sidecar.api.local;

import io.understudy.sidecar.api.Responses;
import io.understudy.sidecar.replication.ReplicaSet;
import io.understudy.sidecar.replication.ReplicaStatus;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/health}, liveness: 200 while the agent runs and every partition replica works; 503 with the
 * reasons once a partition has stopped for good (FAILED: its disk failed), which only a restart can cure.
 */
public final class HealthHandler implements HttpHandler {
    private final Responses responses;
    private final String member;
    private final ReplicaSet replicas;

    public HealthHandler(Responses responses, String member, ReplicaSet replicas) {
        this.responses = responses;
        this.member = member;
        this.replicas = replicas;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        List<String> reasons = replicas.status().stream()
                .filter(s -> s.failure() != null)
                .map(HealthHandler::reason)
                .toList();
        if (reasons.isEmpty()) responses.send(exchange, 200, Map.of("status", "ok", "member", member));
        else responses.send(exchange, 503, Map.of("status", "failed", "member", member, "reasons", reasons));
    }

    private static String reason(ReplicaStatus s) {
        return "partition " + s.partition() + " FAILED: " + s.failure();
    }
}
