package io.understudy.sidecar.api.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.understudy.sidecar.api.BatchCodec;
import io.understudy.sidecar.api.ErrorCode;
import io.understudy.sidecar.api.Outcome;
import io.understudy.sidecar.api.StatusException;
import io.understudy.sidecar.config.Compression;
import io.understudy.sidecar.log.Position;
import io.understudy.sidecar.replication.Ack;
import io.understudy.sidecar.replication.AppendRequest;
import io.understudy.sidecar.replication.AppendResponse;
import io.understudy.sidecar.replication.NotLeaderException;
import io.understudy.sidecar.replication.PeerClient;
import io.understudy.sidecar.replication.SwitchoverResult;
import io.understudy.sidecar.replication.WriteRequest;
import io.understudy.sidecar.snapshot.CheckedSnapshotStream;
import io.understudy.sidecar.snapshot.SnapshotInfo;
import io.understudy.sidecar.snapshot.SnapshotStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@link PeerClient} over HTTP/1.1 with the JDK's client; every request carries the group's token. */
public final class HttpPeerClient implements PeerClient {
    /** Carried on forwarded writes, so the leader deduplicates a retry that came through a follower. */
    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final HttpClient http;
    private final ObjectMapper json;
    private final String token;
    private final Duration appendTimeout;
    private final Duration forwardTimeout;
    private final BatchCodec batches;
    private final Compression compression;

    public HttpPeerClient(ObjectMapper json, String token, Duration appendTimeout, Duration forwardTimeout) {
        this(json, token, appendTimeout, forwardTimeout, Compression.NONE);
    }

    /** @param compression how append bodies are compressed ({@link PeerBodyEncoding}) */
    public HttpPeerClient(
            ObjectMapper json, String token, Duration appendTimeout, Duration forwardTimeout, Compression compression) {
        this.json = json;
        this.compression = compression;
        this.token = token;
        this.appendTimeout = appendTimeout;
        this.forwardTimeout = forwardTimeout;
        this.batches = new BatchCodec(json);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(appendTimeout)
                .build();
    }

    @Override
    public CompletableFuture<AppendResponse> append(String peerUrl, AppendRequest request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base(peerUrl) + "/peer/v1/append"))
                .timeout(appendTimeout)
                .header(TokenCheck.HEADER, token)
                .header("Content-Type", "application/octet-stream");
        PeerBodyEncoding.Encoded body = PeerBodyEncoding.encode(compression, AppendCodec.encode(request));
        if (body.contentEncoding() != null) builder.header("Content-Encoding", body.contentEncoding());
        HttpRequest httpRequest = builder.POST(HttpRequest.BodyPublishers.ofByteArray(body.body()))
                .build();
        return http.sendAsync(httpRequest, HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(response -> {
                    int status = response.statusCode();
                    if (status != 200 && status != 409 && status != 503) throw failure(peerUrl, response);
                    return read(response.body(), AppendResponse.class);
                });
    }

    @Override
    public CompletableFuture<Ack> forward(String peerUrl, WriteRequest request) {
        String query = "?partition=" + request.partition()
                + "&key=" + URLEncoder.encode(request.key(), StandardCharsets.UTF_8)
                + "&durability=" + request.durability().name().toLowerCase(java.util.Locale.ROOT);
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base(peerUrl) + "/peer/v1/forward" + query))
                .timeout(forwardTimeout)
                .header(TokenCheck.HEADER, token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.payload()));
        if (!request.contentType().isEmpty()) builder.header("Content-Type", request.contentType());
        if (request.idempotency() != null)
            builder.header(IDEMPOTENCY_KEY, request.idempotency().key());
        return http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, error) -> {
                    if (error != null) throw forwardFailure(peerUrl, error);
                    if (response.statusCode() != 200) throw notLeaderOrFailure(peerUrl, response);
                    return read(response.body(), Ack.class);
                });
    }

    @Override
    public CompletableFuture<SwitchoverResult> switchover(
            String peerUrl, int partition, String target, Duration timeout) {
        String query = "?partition=" + partition + "&to=" + URLEncoder.encode(target, StandardCharsets.UTF_8)
                + "&timeoutMs=" + timeout.toMillis();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base(peerUrl) + "/peer/v1/switchover" + query))
                .timeout(timeout.plusSeconds(5))
                .header(TokenCheck.HEADER, token)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).handle((response, error) -> {
            if (error != null) {
                throw new StatusException(
                        ErrorCode.LEADER_UNREACHABLE,
                        Outcome.UNKNOWN,
                        "relaying the switchover to the leader at " + peerUrl + " failed ("
                                + (error.getCause() == null ? error : error.getCause()) + "); check the status");
            }
            if (response.statusCode() != 200) throw failure(peerUrl, response);
            return read(response.body(), SwitchoverResult.class);
        });
    }

    @Override
    public SnapshotInfo fetchSnapshot(String peerUrl, int partition, SnapshotStore store)
            throws IOException, InterruptedException {
        URI uri = URI.create(base(peerUrl) + "/peer/v1/snapshot?partition=" + partition);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(appendTimeout)
                .header(TokenCheck.HEADER, token)
                .GET()
                .build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() == 404) {
                throw new FileNotFoundException("the member at " + peerUrl + " stores no snapshot of p" + partition);
            }
            if (response.statusCode() != 200) {
                throw new IOException("GET " + uri + " answered " + response.statusCode() + ": "
                        + new String(body.readNBytes(300), StandardCharsets.UTF_8));
            }
            SnapshotInfo announced = new SnapshotInfo(
                    partition,
                    new Position(header(response, SnapshotHeaders.EPOCH), header(response, SnapshotHeaders.INDEX)),
                    header(response, "Content-Length"),
                    header(response, SnapshotHeaders.CRC32C));
            SnapshotInfo saved =
                    store.save(partition, announced.position(), new CheckedSnapshotStream(body, announced));
            if (saved.sizeBytes() != announced.sizeBytes() || saved.crc32c() != announced.crc32c()) {
                throw new IOException("snapshot from " + peerUrl + " stored as " + saved + ", announced " + announced);
            }
            return saved;
        }
    }

    private static long header(HttpResponse<?> response, String name) throws IOException {
        String value = response.headers().firstValue(name).orElse("");
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IOException("snapshot answer without a numeric " + name + " header: '" + value + "'");
        }
    }

    /**
     * The writes of one partition in one request to {@code /peer/v1/forward-batch}; the leader answers each item as
     * it would a single forwarded write, and each answer here completes its item's future. A leader too old to
     * have that endpoint (404 during a rolling upgrade) gets them one by one.
     */
    @Override
    public List<CompletableFuture<Ack>> forwardBatch(String peerUrl, List<WriteRequest> requests) {
        HttpRequest httpRequest = HttpRequest.newBuilder(URI.create(base(peerUrl) + "/peer/v1/forward-batch"))
                .timeout(forwardTimeout)
                .header(TokenCheck.HEADER, token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(batches.encodeForwarded(requests)))
                .build();
        List<CompletableFuture<Ack>> answers = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) answers.add(new CompletableFuture<>());
        http.sendAsync(httpRequest, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, error) -> {
            try {
                if (error != null) throw forwardFailure(peerUrl, error);
                if (response.statusCode() == 404 && !"UNKNOWN_PARTITION".equals(codeOf(response))) {
                    List<CompletableFuture<Ack>> single = PeerClient.super.forwardBatch(peerUrl, requests);
                    for (int i = 0; i < single.size(); i++) relay(single.get(i), answers.get(i));
                    return;
                }
                if (response.statusCode() != 200 && response.statusCode() != 207) throw failure(peerUrl, response);
                JsonNode results = json.readTree(response.body()).get("results");
                if (results == null || results.size() != requests.size()) {
                    throw new StatusException(
                            ErrorCode.OUTCOME_UNKNOWN,
                            Outcome.UNKNOWN,
                            "the leader at " + peerUrl + " answered a batch of " + requests.size() + " with "
                                    + (results == null ? "no" : results.size()) + " results");
                }
                for (int i = 0; i < requests.size(); i++) {
                    JsonNode item = results.get(i);
                    if (item.has("index")) answers.get(i).complete(json.treeToValue(item, Ack.class));
                    else
                        answers.get(i)
                                .completeExceptionally(
                                        relayed(peerUrl, item.path("status").asInt(503), item));
                }
            } catch (IOException | RuntimeException e) {
                StatusException unknown = e instanceof StatusException s
                        ? s
                        : new StatusException(
                                ErrorCode.OUTCOME_UNKNOWN,
                                Outcome.UNKNOWN,
                                "the leader at " + peerUrl + " answered a batch unreadably (" + e + ")");
                answers.forEach(a -> a.completeExceptionally(unknown));
            }
        });
        return answers;
    }

    private static void relay(CompletableFuture<Ack> from, CompletableFuture<Ack> to) {
        from.whenComplete((ack, error) -> {
            if (error != null) to.completeExceptionally(error);
            else to.complete(ack);
        });
    }

    private String codeOf(HttpResponse<byte[]> response) {
        try {
            return text(json.readTree(response.body()), "code", "");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * A refused connection means nothing was sent: the write was cleanly not taken. Any other transport failure
     * may have happened after the leader took the write, so its outcome is unknown and the answer says so.
     */
    private static RuntimeException forwardFailure(String peerUrl, Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause()
                : error;
        // A connection refused, or not made within the connect time-out: nothing reached the leader.
        if (cause instanceof java.net.ConnectException || cause instanceof java.net.http.HttpConnectTimeoutException) {
            return new StatusException(
                    ErrorCode.LEADER_UNREACHABLE,
                    "the leader at " + peerUrl + " could not be connected to (" + cause + "), the write was not taken");
        }
        ErrorCode code =
                cause instanceof java.net.http.HttpTimeoutException ? ErrorCode.TIMEOUT : ErrorCode.OUTCOME_UNKNOWN;
        return new StatusException(
                code,
                Outcome.UNKNOWN,
                "forwarding to the leader at " + peerUrl + " failed (" + cause + "); the write's outcome is unknown");
    }

    /**
     * A refusal because the member asked does not lead (any more) and wrote nothing becomes a
     * {@link NotLeaderException}, which the member the write entered retries once a leader is known again
     * ({@code LeaderWait}); every other error is relayed as the leader gave it.
     */
    private RuntimeException notLeaderOrFailure(String peerUrl, HttpResponse<byte[]> response) {
        StatusException failure = failure(peerUrl, response);
        boolean refused = failure.outcome() == Outcome.REJECTED
                && (failure.code() == ErrorCode.NOT_LEADER || failure.code() == ErrorCode.NO_LEADER);
        if (!refused) return failure;
        return NotLeaderException.relayed(
                failure.getMessage(), failure.code() == ErrorCode.NOT_LEADER ? peerUrl : null);
    }

    /**
     * The leader's error answer, relayed as the leader gave it: its code, outcome and message, so that a client
     * sees the same error whichever member it wrote through. A leader too old to send a code is read by status.
     */
    private StatusException failure(String peerUrl, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status == 401) {
            return new StatusException(
                    ErrorCode.LEADER_UNREACHABLE,
                    "the leader at " + peerUrl + " refused this member's peer.token; check peer.token on every member");
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException | RuntimeException e) {
            body = null;
        }
        return relayed(peerUrl, status, body);
    }

    /** An error answer of the leader (a whole request's, or one batch item's), as the leader gave it. */
    private static StatusException relayed(String peerUrl, int status, JsonNode body) {
        String message =
                text(body, "message", text(body, "error", "HTTP " + status + " from the leader at " + peerUrl));
        ErrorCode code = ErrorCode.byName(text(body, "code", ""));
        if (code == null) code = ErrorCode.forStatus(status);
        Outcome outcome;
        try {
            outcome = Outcome.parse(text(body, "outcome", code.outcome().name()));
        } catch (IllegalArgumentException e) {
            outcome = Outcome.UNKNOWN;
        }
        return new StatusException(code, outcome, message);
    }

    private static String text(JsonNode body, String field, String fallback) {
        JsonNode value = body == null ? null : body.get(field);
        return value == null || !value.isTextual() ? fallback : value.asText();
    }

    private <T> T read(byte[] body, Class<T> type) {
        try {
            return json.readValue(body, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String base(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public void close() {
        // The JDK client before Java 21 has no close(); its threads are daemons.
    }
}
