package io.understudy.sidecar.api.local;

import io.understudy.sidecar.api.Responses;
import io.understudy.sidecar.coordination.GroupPause;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Map;

/**
 * {@code POST /v1/pause} and {@code POST /v1/resume}: sets or clears the group-wide pause flag in ZooKeeper, on any
 * member; answers {@code {"paused": true|false}}.
 */
public final class PauseHandler implements HttpHandler {
    private final GroupPause pause;
    private final Responses responses;
    private final boolean paused;

    /** @param paused true for {@code /v1/pause}, false for {@code /v1/resume} */
    public PauseHandler(GroupPause pause, Responses responses, boolean paused) {
        this.pause = pause;
        this.responses = responses;
        this.paused = paused;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        responses.sendWhenDone(exchange, pause.set(paused), now -> Map.of("paused", now));
    }
}
