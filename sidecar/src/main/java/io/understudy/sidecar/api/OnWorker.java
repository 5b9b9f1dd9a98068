package io.understudy.sidecar.api;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a handler that blocks (disk reads, a streamed file) on a worker thread, never on the IO thread, and maps what
 * it throws before answering to the JSON error answer, as the route table does for handlers on the IO thread.
 */
public final class OnWorker implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(OnWorker.class);

    private final HttpHandler blocking;
    private final Responses responses;

    public OnWorker(HttpHandler blocking, Responses responses) {
        this.blocking = blocking;
        this.responses = responses;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        try {
            blocking.handleRequest(exchange);
        } catch (Exception | Error e) { // an Error stops the member (ErrorMapper), never a bare 500
            if (!exchange.isResponseStarted()) responses.sendError(exchange, e);
            else
                LOG.warn(
                        "{} {} failed after its answer started: {}",
                        exchange.getRequestMethod(),
                        exchange.getRequestPath(),
                        e.toString());
        }
    }
}
