package io.understudy.sidecar.api.local;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.function.Supplier;

/** {@code GET /metrics}: Prometheus text format, rendered on a worker thread (gauges read every partition). */
public final class MetricsHandler implements HttpHandler {
    private final Supplier<String> scrape;

    public MetricsHandler(Supplier<String> scrape) {
        this.scrape = scrape;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        exchange.getResponseSender().send(scrape.get());
    }
}
