package io.understudy.sidecar.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/** Writes JSON answers, and answers from futures completed on other threads. */
public final class Responses {
    private final ObjectMapper json;
    private final ErrorMapper errors;

    public Responses(ObjectMapper json, ErrorMapper errors) {
        this.json = json;
        this.errors = errors;
    }

    public void send(HttpServerExchange exchange, int status, Object body) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
    }

    public int statusOf(Throwable error) {
        return errors.map(error).status();
    }

    /**
     * The error body of every answer but 200: {@code code} (stable, see {@link ErrorCode}), {@code message},
     * {@code outcome} ({@code rejected} or {@code unknown}) and {@code error} (the message again, for clients of
     * versions before codes); 429 and 503 carry {@code Retry-After}.
     */
    public void sendError(HttpServerExchange exchange, Throwable error) {
        ErrorMapper.Failure failure = errors.map(error);
        if (failure.code().retryAfter()) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, ErrorCode.RETRY_AFTER_SECONDS);
        }
        send(exchange, failure.status(), errorBody(failure));
    }

    /** The error body of {@code error}, with its HTTP status first (for one item of a batch answer). */
    public Map<String, Object> itemError(Throwable error) {
        ErrorMapper.Failure failure = errors.map(error);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", failure.status());
        body.putAll(errorBody(failure));
        return body;
    }

    private static Map<String, Object> errorBody(ErrorMapper.Failure failure) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", failure.code().name());
        body.put("message", failure.message());
        body.put("outcome", failure.outcome().wireName());
        body.put("error", failure.message());
        return body;
    }

    /**
     * Answers with {@code 200} and {@code toBody(result)} once {@code future} completes, or with the mapped error.
     * The exchange is dispatched so that it stays open; no thread waits for the future.
     */
    public <T> void sendWhenDone(HttpServerExchange exchange, CompletableFuture<T> future, Function<T, Object> toBody) {
        sendWhenDone(exchange, future, result -> 200, toBody);
    }

    /** As {@link #sendWhenDone(HttpServerExchange, CompletableFuture, Function)}, with the status the result gives. */
    public <T> void sendWhenDone(
            HttpServerExchange exchange,
            CompletableFuture<T> future,
            ToIntFunction<T> toStatus,
            Function<T, Object> toBody) {
        // The answer is written on the exchange's IO thread, not on the thread that completed the future (often a
        // partition loop, which must not spend its time encoding JSON).
        exchange.dispatch(
                io.undertow.util.SameThreadExecutor.INSTANCE,
                () -> future.whenCompleteAsync(
                        (result, error) -> {
                            try {
                                if (error != null) sendError(exchange, error);
                                else send(exchange, toStatus.applyAsInt(result), toBody.apply(result));
                            } catch (RuntimeException | Error e) {
                                sendError(exchange, e); // an Error stops the member (ErrorMapper)
                            }
                        },
                        exchange.getIoThread()));
    }
}
