package io.understudy.sidecar.api.local;

import io.understudy.sidecar.api.Params;
import io.understudy.sidecar.api.Responses;
import io.understudy.sidecar.metrics.ReplicaEvent;
import io.understudy.sidecar.metrics.ReplicaEvents;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/events?limit=N}: this member's recent elections and ISR changes, newest first ({@code limit}
 * defaults to {@value #DEFAULT_LIMIT}; more than are kept gives all that are kept).
 */
public final class EventsHandler implements HttpHandler {
    static final int DEFAULT_LIMIT = 50;

    private final String member;
    private final ReplicaEvents events;
    private final Responses responses;

    public EventsHandler(String member, ReplicaEvents events, Responses responses) {
        this.member = member;
        this.events = events;
        this.responses = responses;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        int limit = Math.min(Params.optionalInt(exchange, "limit", DEFAULT_LIMIT, 1), events.capacity());
        List<Map<String, Object>> list =
                events.recent(limit).stream().map(EventsHandler::toJson).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("member", member);
        body.put("events", list);
        responses.send(exchange, 200, body);
    }

    private static Map<String, Object> toJson(ReplicaEvent e) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("at", e.at().toString());
        event.put("partition", e.partition());
        event.put("kind", e.kind().name());
        event.put("epoch", e.epoch());
        event.put("leader", e.leader());
        event.put("isr", e.isr());
        if (!e.reason().isEmpty()) event.put("reason", e.reason());
        return event;
    }
}
