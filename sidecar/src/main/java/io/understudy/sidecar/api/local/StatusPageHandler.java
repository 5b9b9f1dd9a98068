package io.understudy.sidecar.api.local;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.List;
import java.util.Map;

/** {@code GET /}: the status report as a small HTML page for people (refreshes every two seconds). */
public final class StatusPageHandler implements HttpHandler {
    private final StatusHandler status;

    public StatusPageHandler(StatusHandler status) {
        this.status = status;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        Map<String, Object> report = status.report();
        StringBuilder html = new StringBuilder()
                .append("<!doctype html><html><head><meta charset=utf-8><meta http-equiv=refresh content=2>")
                .append("<title>Understudy ")
                .append(escape(report.get("member")))
                .append("</title>")
                .append(
                        "<style>body{font-family:sans-serif}td,th{padding:2px 10px;text-align:left}</style></head><body>")
                .append("<h1>Understudy: ")
                .append(escape(report.get("member")))
                .append(" in group ")
                .append(escape(report.get("group")))
                .append("</h1>");
        table(
                html,
                "Partitions",
                (List<?>) report.get("partitions"),
                List.of("partition", "role", "leader", "epoch", "logEnd", "commitIndex", "appliedIndex", "isr"));
        table(html, "Members", (List<?>) report.get("members"), List.of("id", "alive", "lag", "appHealthy", "peerUrl"));
        html.append("<p>JSON: <a href=/v1/status>/v1/status</a> &middot; metrics: <a href=/metrics>/metrics</a></p>")
                .append("</body></html>");
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html; charset=utf-8");
        exchange.getResponseSender().send(html.toString());
    }

    private static void table(StringBuilder html, String title, List<?> rows, List<String> columns) {
        html.append("<h2>").append(title).append("</h2><table><tr>");
        columns.forEach(c -> html.append("<th>").append(c).append("</th>"));
        html.append("</tr>");
        for (Object row : rows) {
            Map<?, ?> cells = (Map<?, ?>) row;
            html.append("<tr>");
            columns.forEach(
                    c -> html.append("<td>").append(escape(cells.get(c))).append("</td>"));
            html.append("</tr>");
        }
        html.append("</table>");
    }

    private static String escape(Object value) {
        return String.valueOf(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
