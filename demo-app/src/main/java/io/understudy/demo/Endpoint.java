package io.understudy.demo;

import io.undertow.server.HttpServerExchange;
import java.util.concurrent.CompletionStage;

/**
 * One HTTP endpoint: runs on a worker thread with blocking reads allowed, and answers now (an
 * already completed stage) or later (a stage completed by another thread, without holding a worker).
 * Throw {@link ApiException} to refuse a request.
 */
@FunctionalInterface
public interface Endpoint {
    CompletionStage<Reply> handle(HttpServerExchange exchange) throws Exception;
}
