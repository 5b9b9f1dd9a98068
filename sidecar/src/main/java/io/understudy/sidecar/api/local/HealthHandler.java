package io.understudy.sidecar.api.local;

import io.understudy.sidecar.api.Responses;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Map;

/**
 * {@code GET /v1/health}: liveness. 200 while the agent serves; 503 with the reasons when a partition is FAILED
 * (restarting with an operator's help is the cure). It does not depend on ZooKeeper: a restart would not bring it.
 */
public final class HealthHandler implements HttpHandler {
    private final Responses responses;
    private final HealthChecks checks;

    public HealthHandler(Responses responses, HealthChecks checks) {
        this.responses = responses;
        this.checks = checks;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        var reasons = checks.liveness();
        ProbeAnswer.send(
                responses,
                exchange,
                "live",
                Map.of("status", reasons.isEmpty() ? "ok" : "failed", "member", checks.member()),
                reasons);
    }
}
