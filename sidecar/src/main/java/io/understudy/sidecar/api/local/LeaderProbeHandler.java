package io.understudy.sidecar.api.local;

import io.understudy.sidecar.api.Params;
import io.understudy.sidecar.api.Responses;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Map;

/** {@code GET /v1/leader?partition=P}: 200 only on the partition's leader (a load balancer's write target). */
public final class LeaderProbeHandler implements HttpHandler {
    private final Responses responses;
    private final HealthChecks checks;

    public LeaderProbeHandler(Responses responses, HealthChecks checks) {
        this.responses = responses;
        this.checks = checks;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        int partition = Params.optionalInt(exchange, "partition", 0, 0);
        ProbeAnswer.send(
                responses,
                exchange,
                "leader",
                Map.of("member", checks.member(), "partition", partition),
                checks.leaderOf(partition));
    }
}
