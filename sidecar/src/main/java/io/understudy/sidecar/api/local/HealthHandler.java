package io.understudy.sidecar.api.local;

import io.understudy.sidecar.api.Responses;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Map;

/** {@code GET /v1/health}: 200 while the agent runs. */
public final class HealthHandler implements HttpHandler {
    private final Responses responses;
    private final String member;

    public HealthHandler(Responses responses, String member) {
        this.responses = responses;
        this.member = member;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        responses.send(exchange, 200, Map.of("status", "ok", "member", member));
    }
}
