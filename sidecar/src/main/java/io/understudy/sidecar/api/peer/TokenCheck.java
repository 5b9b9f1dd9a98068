package io.understudy.sidecar.api.peer;

import io.understudy.sidecar.api.ErrorCode;
import io.understudy.sidecar.api.Responses;
import io.understudy.sidecar.api.StatusException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Refuses (401) any peer request that does not carry the group's {@code peer.token}. */
public final class TokenCheck implements HttpHandler {
    public static final String HEADER = "X-Understudy-Token";

    private final byte[] token;
    private final Responses responses;
    private final HttpHandler next;

    public TokenCheck(String token, Responses responses, HttpHandler next) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.responses = responses;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String given = exchange.getRequestHeaders().getFirst(HEADER);
        if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
            responses.sendError(
                    exchange,
                    new StatusException(
                            ErrorCode.UNAUTHORIZED,
                            "peer request without the group's token (header " + HEADER
                                    + "); check peer.token on every member"));
            return;
        }
        next.handleRequest(exchange);
    }
}
