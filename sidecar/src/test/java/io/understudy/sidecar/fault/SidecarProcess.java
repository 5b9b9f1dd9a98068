package io.understudy.sidecar.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.understudy.sidecar.testing.FreePorts;
import io.understudy.sidecar.testing.RecordingApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One member: its sidecar child process with a generated config, the {@link FaultProxy} in front of its peer
 * listener and the {@link RecordingApp} beside it. The proxy and the app outlive the sidecar's restarts.
 */
final class SidecarProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private final String id;
    private final int apiPort;
    private final FaultProxy proxy;
    private final RecordingApp app;
    private final ChildProcess child;

    SidecarProcess(String id, ClusterSettings settings, String zkConnect, Path workDir, Path logDir)
            throws IOException {
        this.id = id;
        this.apiPort = FreePorts.next();
        int peerPort = FreePorts.next();
        this.proxy = new FaultProxy(FreePorts.next(), peerPort);
        this.app = new RecordingApp(id);
        Path dir = workDir.resolve(id);
        Files.createDirectories(dir);
        Path config = dir.resolve("sidecar.yaml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "group: fault",
                        "member: " + id,
                        "zookeeper: { connect: \"" + zkConnect + "\", sessionTimeoutMs: "
                                + settings.sessionTimeout().toMillis() + " }",
                        "api:  { listen: \"127.0.0.1:" + apiPort + "\" }",
                        "peer: { listen: \"127.0.0.1:" + peerPort + "\", advertise: \"http://127.0.0.1:" + proxy.port()
                                + "\", token: \"fault-t0ken\" }",
                        "app:  { url: \"" + app.url() + "\", retryBackoffMs: 100 }",
                        "dataDir: \"" + dir.resolve("data") + "\"",
                        "partitions: " + settings.partitions(),
                        "replication: { minInSync: " + settings.minInSync()
                                + ", defaultDurability: sync, fsync: " + settings.fsync() + ", replicaLagMaxMs: "
                                + settings.replicaLagMax().toMillis() + " }",
                        ""));
        this.child = new ChildProcess(id, List.of("run", "--config", config.toString()), logDir.resolve(id + ".log"));
    }

    String id() {
        return id;
    }

    String apiUrl() {
        return "http://127.0.0.1:" + apiPort;
    }

    ChildProcess process() {
        return child;
    }

    FaultProxy proxy() {
        return proxy;
    }

    RecordingApp app() {
        return app;
    }

    /** True when the process runs and is not stopped by SIGSTOP: it can answer. */
    boolean isUp() {
        return child.isRunning() && !child.isPaused();
    }

    /** This member's {@code /v1/status}, or empty when it does not answer within a second. */
    Optional<JsonNode> status() {
        if (!isUp()) return Optional.empty();
        return get("/v1/status", Duration.ofSeconds(1))
                .filter(r -> r.statusCode() == 200)
                .map(r -> parse(r.body()));
    }

    Optional<HttpResponse<String>> get(String pathAndQuery, Duration timeout) {
        return send(HttpRequest.newBuilder(URI.create(apiUrl() + pathAndQuery))
                .timeout(timeout)
                .GET()
                .build());
    }

    /** POSTs an empty body to {@code pathAndQuery} on this member's local API; empty when it does not answer. */
    Optional<HttpResponse<String>> post(String pathAndQuery, Duration timeout) {
        return send(HttpRequest.newBuilder(URI.create(apiUrl() + pathAndQuery))
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    }

    /** POSTs a write to this member's local API; empty when it does not answer. */
    Optional<HttpResponse<String>> write(String key, String durability, Duration timeout) {
        return send(
                HttpRequest.newBuilder(URI.create(apiUrl() + "/v1/entries?key=" + key + "&durability=" + durability))
                        .timeout(timeout)
                        .POST(HttpRequest.BodyPublishers.ofString(key))
                        .build());
    }

    /** Sends {@code request}; empty when this member does not answer. */
    private static Optional<HttpResponse<String>> send(HttpRequest request) {
        try {
            return Optional.of(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + body, e);
        }
    }

    @Override
    public void close() {
        child.close();
        proxy.close();
        app.close();
    }
}
