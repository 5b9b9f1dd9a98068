package io.understudy.sidecar.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.understudy.sidecar.log.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@link HostAppClient} over HTTP: {@code POST <app.url>/understudy/apply} with a JSON batch, and
 * {@code POST <app.url>/understudy/role}, {@code GET <app.url>/understudy/position}, and the snapshot calls {@code
 * GET} and {@code PUT <app.url>/understudy/snapshot} (streamed both ways, never held whole in memory). The format is
 * documented in DELIVERY.md.
 */
public final class HttpHostAppClient implements HostAppClient {
    /** The header of a snapshot's answer that says which index it reflects (DELIVERY.md). */
    static final String APPLIED_INDEX = "Understudy-Applied-Index";
    /** The largest snapshot taken from or handed to the app. */
    static final long MAX_SNAPSHOT_BYTES = 4L << 30;
    /** How long the app may take to receive and install a snapshot (far longer than an apply). */
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);

    private final URI applyUri;
    private final URI roleUri;
    private final URI positionUri;
    private final String snapshotBase;
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
        this.snapshotBase = base + "/understudy/snapshot?partition=";
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
    public Optional<AppSnapshot> snapshot(int partition) throws IOException, InterruptedException {
        URI uri = URI.create(snapshotBase + partition);
        HttpResponse<InputStream> response = http.send(
                HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        int status = response.statusCode();
        if (status == 404 || status == 501) {
            response.body().close();
            return Optional.empty();
        }
        try {
            if (status != 200) {
                throw new IOException("app answered " + status + " to " + uri + ": " + snippet(response.body()));
            }
            String applied = response.headers().firstValue(APPLIED_INDEX).orElse("");
            long index;
            try {
                index = Long.parseLong(applied.trim());
            } catch (NumberFormatException e) {
                throw new IOException("app answered 200 to " + uri + " without a numeric " + APPLIED_INDEX + " header");
            }
            long announced =
                    response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (announced > MAX_SNAPSHOT_BYTES) {
                throw new IOException("the app's snapshot of p" + partition + " is " + announced + " bytes, more than "
                        + MAX_SNAPSHOT_BYTES);
            }
            return Optional.of(new AppSnapshot(index, new BoundedStream(response.body(), MAX_SNAPSHOT_BYTES)));
        } catch (IOException | RuntimeException e) {
            response.body().close();
            throw e;
        }
    }

    @Override
    public void installSnapshot(int partition, long index, InputStream bytes) throws IOException, InterruptedException {
        URI uri = URI.create(snapshotBase + partition + "&index=" + index);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(INSTALL_TIMEOUT)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new BoundedStream(bytes, MAX_SNAPSHOT_BYTES)))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException(
                    "app answered " + response.statusCode() + " to " + uri + ": " + snippet(response.body()));
        }
    }

    private static String snippet(InputStream body) throws IOException {
        return snippet(body.readNBytes(200));
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
