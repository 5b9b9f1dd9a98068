package io.understudy.sidecar.api.local;

import io.understudy.sidecar.api.Params;
import io.understudy.sidecar.api.Responses;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Map;
import java.util.OptionalLong;

/** {@code GET /v1/ready[?maxLag=N]}: readiness, see {@link HealthChecks#readiness}. */
public final class ReadyHandler implements HttpHandler {
    private final Responses responses;
    private final HealthChecks checks;

    public ReadyHandler(Responses responses, HealthChecks checks) {
        this.responses = responses;
        this.checks = checks;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        OptionalLong maxLag = maxLag(exchange);
        ProbeAnswer.send(responses, exchange, "ready", Map.of("member", checks.member()), checks.readiness(maxLag));
    }

    static OptionalLong maxLag(HttpServerExchange exchange) {
        return exchange.getQueryParameters().containsKey("maxLag")
                ? OptionalLong.of(Params.requiredLong(exchange, "maxLag", 0))
                : OptionalLong.empty();
    }
}
