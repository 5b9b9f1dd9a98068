package io.understudy.sidecar.api.local;

import io.understudy.sidecar.api.Responses;
import io.undertow.server.HttpServerExchange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The body of every probe: 200 when no reason speaks against it, 503 with the reasons otherwise. */
final class ProbeAnswer {
    private ProbeAnswer() {}

    static void send(
            Responses responses,
            HttpServerExchange exchange,
            String verdict,
            Map<String, Object> facts,
            List<String> reasons) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(verdict, reasons.isEmpty());
        body.putAll(facts);
        body.put("reasons", reasons);
        responses.send(exchange, reasons.isEmpty() ? 200 : 503, body);
    }
}
