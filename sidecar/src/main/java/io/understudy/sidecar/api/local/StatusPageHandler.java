package io.understudy.sidecar.api.local;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * {@code GET /}: the status page, one self-contained HTML file ({@code status-page.html} beside this class: inline
 * CSS and script, no external resource) whose script reads {@code /v1/status} and {@code /v1/events} and renders
 * them every two seconds. The page is static; the data comes from the JSON endpoints, so it shows the same truth.
 */
public final class StatusPageHandler implements HttpHandler {
    static final String RESOURCE = "status-page.html";
    /** The page may run its own inline script and style and fetch from this member only. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'unsafe-inline'; "
            + "style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'";

    private final byte[] page;

    StatusPageHandler(byte[] page) {
        this.page = page.clone();
    }

    /** The page as packaged in the jar. */
    public static StatusPageHandler fromClasspath() {
        try (InputStream in = StatusPageHandler.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the jar: a packaging bug");
            return new StatusPageHandler(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from the jar", e);
        }
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        exchange.getResponseHeaders()
                .put(Headers.CONTENT_TYPE, "text/html; charset=utf-8")
                .put(Headers.CACHE_CONTROL, "no-cache")
                .put(HttpString.tryFromString("Content-Security-Policy"), CONTENT_SECURITY_POLICY)
                .put(HttpString.tryFromString("X-Content-Type-Options"), "nosniff");
        exchange.getResponseSender().send(ByteBuffer.wrap(page));
    }
}
