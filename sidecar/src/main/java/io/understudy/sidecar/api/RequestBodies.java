package io.understudy.sidecar.api;

import io.understudy.sidecar.replication.OverloadedException;
import io.undertow.server.HttpServerExchange;

/**
 * Admits a request body before it is read: at most {@code maxBodyBytes}, and only once its bytes fit the
 * member's {@link BodyBudget}; the reservation ends with the exchange.
 */
final class RequestBodies {
    private final BodyBudget bodies;

    RequestBodies(BodyBudget bodies) {
        this.bodies = bodies;
    }

    /**
     * Reserves the body's bytes (its declared length, or the limit when it is chunked) until the exchange ends,
     * and caps what the exchange reads at {@code maxBodyBytes}: a body that does not fit is refused unread.
     */
    void admit(HttpServerExchange exchange, long maxBodyBytes, String limitName) {
        long declared = exchange.getRequestContentLength();
        if (declared > maxBodyBytes) {
            throw new StatusException(
                    ErrorCode.TOO_LARGE,
                    "request body of " + declared + " bytes is over " + limitName + " (" + maxBodyBytes + ")");
        }
        long reserved = declared >= 0 ? declared : maxBodyBytes;
        if (!bodies.tryReserve(reserved)) {
            throw new OverloadedException(
                    "request bodies in memory reached " + bodies.capacity() + " bytes; retry shortly");
        }
        exchange.addExchangeCompleteListener((ex, next) -> {
            bodies.release(reserved);
            next.proceed();
        });
        exchange.setMaxEntitySize(maxBodyBytes);
    }
}
