package io.understudy.demo;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Calls this app's own sidecar over its local API (README.md, "Local API"). */
public final class SidecarClient {

    /** The header that makes a write safe to retry; passed through from the client as it came. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** The sidecar's raw answer: status and body bytes. */
    public record Answer(int status, byte[] body) {}

    private final HttpClient http;
    private final String baseUrl;
    private final Duration timeout;

    public SidecarClient(HttpClient http, URI sidecar, Duration timeout) {
        this.http = http;
        String url = sidecar.toString();
        this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.timeout = timeout;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Sends one write: {@code POST /v1/entries?key=K[&durability=D]} with the body as is, and the client's
     * {@code Idempotency-Key} header when it gave one (null: none), so that a retried PUT is not written twice.
     * The future fails with an {@link java.io.IOException} when the sidecar cannot be reached or does not answer
     * within the timeout ({@link java.net.http.HttpTimeoutException}).
     */
    public CompletableFuture<Answer> append(String key, String durability, String idempotencyKey, byte[] body) {
        StringBuilder url =
                new StringBuilder(baseUrl).append("/v1/entries?key=").append(encode(key));
        if (durability != null) {
            url.append("&durability=").append(encode(durability));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.toString()))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (idempotencyKey != null) request.header(IDEMPOTENCY_KEY, idempotencyKey);
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(response -> new Answer(response.statusCode(), response.body()));
    }

    /**
     * Asks the sidecar to deliver everything again from what this app holds ({@code POST /v1/redeliver}; the
     * sidecar then asks {@code GET /understudy/position}). Called at start: this app keeps nothing across restarts.
     */
    public CompletableFuture<Answer> redeliver() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/redeliver"))
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(response -> new Answer(response.statusCode(), response.body()));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
