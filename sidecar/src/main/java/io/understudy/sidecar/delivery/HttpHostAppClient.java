package io.understudy.sidecar.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.understudy.sidecar.log.Entry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * {@link HostAppClient} over HTTP: {@code POST <app.url>/understudy/apply} with a JSON batch, and
 * {@code POST <app.url>/understudy/role} and {@code GET <app.url>/understudy/position}. The format is documented in
 * DELIVERY.md.
 */
public final class HttpHostAppClient implements HostAppClient {
    private final URI applyUri;
    private final URI roleUri;
    private final URI positionUri;
    private final String group;
    private final String member;
    private final ObjectMapper json;
    private final Duration timeout;
    private final HttpClient http;

    public HttpHostAppClient(URI appUrl, String group, String member, ObjectMapper json, Duration timeout) {
        String base = appUrl.toString().replaceAll("/+$", "");
        this.applyUri = URI.create(base + "/understudy/apply");
        this.roleUri = URI.create(base + "/understudy/role");
        this.positionUri = URI.create(base + "/understudy/position");
        this.group = group;
        this.member = member;
        this.json = json;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @Override
    public Applied apply(int partition, List<Entry> entries) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode()
                .put("group", group)
                .put("member", member)
                .put("partition", partition);
        ArrayNode list = body.putArray("entries");
        for (Entry e : entries) {
            ObjectNode entry = list.addObject()
                    .put("index", e.index())
                    .put("epoch", e.epoch())
                    .put("timestamp", e.timestamp());
            // A write without a key carries none: the field is absent, never "" (DELIVERY.md).
            if (!e.key().isEmpty()) entry.put("key", e.key());
            entry.put("contentType", e.contentType()).put("payload", e.payload());
        }
        HttpResponse<byte[]> response =
                http.send(post(applyUri, json.writeValueAsBytes(body)), HttpResponse.BodyHandlers.ofByteArray());
        int status = response.statusCode();
        if (status != 200 && status != 409) {
            throw new IOException("app answered " + status + " to " + applyUri + ": " + snippet(response.body()));
        }
        JsonNode answer = json.readTree(response.body());
        JsonNode applied = answer == null ? null : answer.get("appliedIndex");
        if (applied == null || !applied.canConvertToLong()) {
            throw new IOException(
                    "app answered " + status + " without a numeric appliedIndex: " + snippet(response.body()));
        }
        return status == 200 ? Applied.through(applied.asLong()) : Applied.behindAt(applied.asLong());
    }

    @Override
    public java.util.OptionalLong position(int partition) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(
                HttpRequest.newBuilder(positionUri).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 404) return java.util.OptionalLong.empty();
        if (response.statusCode() != 200) {
            throw new IOException("app answered " + response.statusCode() + " to " + positionUri);
        }
        JsonNode held = json.readTree(response.body()).path("partitions").path(Integer.toString(partition));
        return java.util.OptionalLong.of(held.canConvertToLong() ? held.asLong() : 0);
    }

    @Override
    public void notifyRole(int partition, RoleNotice notice) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode()
                .put("group", group)
                .put("member", member)
                .put("partition", partition)
                .put("role", notice.role())
                .put("epoch", notice.epoch())
                .put("leader", notice.leader());
        HttpResponse<byte[]> response =
                http.send(post(roleUri, json.writeValueAsBytes(body)), HttpResponse.BodyHandlers.ofByteArray());
        int status = response.statusCode();
        if (status / 100 != 2 && status != 404) {
            throw new IOException("app answered " + status + " to " + roleUri + ": " + snippet(response.body()));
        }
    }

    private HttpRequest post(URI uri, byte[] body) {
        return HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    private static String snippet(byte[] body) {
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    @Override
    public void close() {
        // HttpClient has no close() before Java 21; its threads are daemons.
    }
}
