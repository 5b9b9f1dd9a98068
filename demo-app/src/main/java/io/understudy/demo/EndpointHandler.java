package io.understudy.demo;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts an {@link Endpoint} to Undertow: leaves the IO thread for a worker, lets the endpoint read
 * its body blocking, writes its reply when it completes, and maps every failure to a JSON error in
 * this one place.
 */
public final class EndpointHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(EndpointHandler.class);

    private final Endpoint endpoint;
    private final Json json;

    public EndpointHandler(Endpoint endpoint, Json json) {
        this.endpoint = endpoint;
        this.json = json;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        exchange.startBlocking();
        CompletableFuture<Reply> pending;
        try {
            pending = endpoint.handle(exchange).toCompletableFuture();
        } catch (Exception e) {
            send(exchange, failure(exchange, e));
            return;
        }
        if (pending.isDone()) {
            send(exchange, outcome(exchange, pending));
            return;
        }
        // Answer later, from a worker, without keeping this one busy while we wait.
        Executor worker = exchange.getConnection().getWorker();
        exchange.dispatch(
                SameThreadExecutor.INSTANCE,
                () -> pending.whenCompleteAsync(
                        (reply, error) -> send(exchange, error == null ? reply : failure(exchange, error)), worker));
    }

    private Reply outcome(HttpServerExchange exchange, CompletableFuture<Reply> done) {
        try {
            return done.get();
        } catch (ExecutionException e) {
            return failure(exchange, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failure(exchange, e);
        }
    }

    private Reply failure(HttpServerExchange exchange, Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ApiException api) {
            return json.error(api.status(), api.getMessage());
        }
        if (cause instanceof RequestTooBigException) {
            return json.error(413, "the request body is too large (" + cause.getMessage() + ")");
        }
        log.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestPath(), cause);
        return json.error(500, "internal error in the demo app: " + cause + " (see its log)");
    }

    private static void send(HttpServerExchange exchange, Reply reply) {
        exchange.setStatusCode(reply.status());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, reply.contentType());
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().put(new HttpString(name), value));
        exchange.getResponseSender().send(ByteBuffer.wrap(reply.body()));
    }
}
