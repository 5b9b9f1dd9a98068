package io.understudy.sidecar.api.peer;

import io.understudy.sidecar.api.BadRequestException;
import io.understudy.sidecar.api.FullBody;
import io.understudy.sidecar.api.Responses;
import io.understudy.sidecar.replication.AppendRequest;
import io.understudy.sidecar.replication.AppendResponse;
import io.understudy.sidecar.replication.ReplicaSet;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

/**
 * {@code POST /peer/v1/append}: a leader's entries ({@link AppendCodec}), compressed or not
 * ({@link PeerBodyEncoding}; a body that does not decode gets 400 and changes nothing). Answers 200 with the
 * {@link AppendResponse} for APPENDED, MISMATCH and SNAPSHOT_NEEDED, 409 for STALE_EPOCH, 503 for UNAVAILABLE and FAILED.
 */
public final class AppendHandler implements HttpHandler {
    private final ReplicaSet replicas;
    private final Responses responses;
    private final long maxBodyBytes;

    public AppendHandler(ReplicaSet replicas, Responses responses, long maxBodyBytes) {
        this.replicas = replicas;
        this.responses = responses;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        exchange.setMaxEntitySize(maxBodyBytes);
        FullBody.receive(
                exchange,
                (ex, body) -> {
                    AppendRequest request;
                    try {
                        request = AppendCodec.decode(PeerBodyEncoding.decode(
                                ex.getRequestHeaders().getFirst(Headers.CONTENT_ENCODING), body, maxBodyBytes));
                    } catch (IllegalArgumentException e) {
                        responses.sendError(ex, new BadRequestException(e.getMessage()));
                        return;
                    }
                    ex.dispatch(
                            io.undertow.util.SameThreadExecutor.INSTANCE,
                            () -> replicas.append(request)
                                    .whenCompleteAsync(
                                            (response, error) -> {
                                                if (error != null) responses.sendError(ex, error);
                                                else responses.send(ex, statusOf(response), response);
                                            },
                                            ex.getIoThread()));
                },
                (ex, error) -> responses.sendError(ex, error));
    }

    private static int statusOf(AppendResponse response) {
        return switch (response.result()) {
            case APPENDED, MISMATCH, SNAPSHOT_NEEDED -> 200;
            case STALE_EPOCH -> 409;
            case UNAVAILABLE, FAILED -> 503;
        };
    }
}
