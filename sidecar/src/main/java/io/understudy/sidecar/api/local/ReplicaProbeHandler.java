package io.understudy.sidecar.api.local;

import io.understudy.sidecar.api.Params;
import io.understudy.sidecar.api.Responses;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Map;

/** {@code GET /v1/replica?partition=P[&maxLag=N]}: 200 on an in-sync follower within the lag (a read target). */
public final class ReplicaProbeHandler implements HttpHandler {
    private final Responses responses;
    private final HealthChecks checks;

    public ReplicaProbeHandler(Responses responses, HealthChecks checks) {
        this.responses = responses;
        this.checks = checks;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        int partition = Params.optionalInt(exchange, "partition", 0, 0);
        ProbeAnswer.send(
                responses,
                exchange,
                "replica",
                Map.of("member", checks.member(), "partition", partition),
                checks.replicaOf(partition, ReadyHandler.maxLag(exchange)));
    }
}
