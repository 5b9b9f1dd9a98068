package io.understudy.sidecar.fault;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.sidecar.fault.WriteRecord.Outcome;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * {@code clients} concurrent writers, each writing unique values {@code c<client>-<seq>} through the local API of
 * a random running member, {@code syncPercent}% of them {@code sync}, and recording every call as a
 * {@link WriteRecord}. Bounded: it stops by itself after {@code maxWritesPerClient} writes or {@code maxDuration}.
 */
final class Workload implements AutoCloseable {
    private final Cluster cluster;
    private final int clients;
    private final int syncPercent;
    private final Duration callTimeout;
    private final Duration pace;
    private final long maxWritesPerClient;
    private final long deadlineNanos;
    private final long seed;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();
    private final ConcurrentLinkedQueue<WriteRecord> records = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;

    Workload(
            Cluster cluster,
            int clients,
            int syncPercent,
            Duration callTimeout,
            Duration pace,
            long maxWritesPerClient,
            Duration maxDuration,
            long seed) {
        this.cluster = cluster;
        this.clients = clients;
        this.syncPercent = syncPercent;
        this.callTimeout = callTimeout;
        this.pace = pace;
        this.maxWritesPerClient = maxWritesPerClient;
        this.deadlineNanos = System.nanoTime() + maxDuration.toNanos();
        this.seed = seed;
    }

    /** Four clients, 70% sync, 5 s calls, about 20 writes/s each. */
    static Workload standard(Cluster cluster, Duration maxDuration, long seed) {
        return new Workload(cluster, 4, 70, Duration.ofSeconds(5), Duration.ofMillis(50), 1_000_000, maxDuration, seed);
    }

    void start() {
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> run(client), "workload-c" + client);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void run(int client) {
        Random random = new Random(seed * 31 + client);
        for (long seq = 0; seq < maxWritesPerClient && !stopping && System.nanoTime() < deadlineNanos; seq++) {
            List<SidecarProcess> running = cluster.running();
            if (running.isEmpty()) {
                pause();
                continue;
            }
            SidecarProcess member = running.get(random.nextInt(running.size()));
            boolean sync = random.nextInt(100) < syncPercent;
            records.add(write(member, "c" + client + "-" + seq, sync));
            pause();
        }
    }

    private void pause() {
        try {
            // Pacing: a fixed gap between one client's calls keeps six JVMs on two cores responsive; there is
            // no condition to wait for here, only a rate to keep.
            Thread.sleep(pace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    private WriteRecord write(SidecarProcess member, String key, boolean sync) {
        String url = member.apiUrl() + "/v1/entries?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8)
                + "&durability=" + (sync ? "sync" : "async");
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(callTimeout)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(key))
                .build();
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long end = System.nanoTime();
            return classify(key, sync, member.id(), start, end, response.statusCode(), response.body());
        } catch (ConnectException e) {
            // Nothing reached the sidecar (its API is down): the write was certainly not taken.
            return new WriteRecord(
                    key, sync, member.id(), start, System.nanoTime(), Outcome.REFUSED, -1, 0, 0, null, "connect: " + e);
        } catch (IOException e) {
            return new WriteRecord(
                    key, sync, member.id(), start, System.nanoTime(), Outcome.UNKNOWN, -1, 0, 0, null, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
            return new WriteRecord(
                    key, sync, member.id(), start, System.nanoTime(), Outcome.UNKNOWN, -1, 0, 0, null, "interrupted");
        }
    }

    static WriteRecord classify(
            String key, boolean sync, String member, long start, long end, int status, String body) {
        if (status == 200) {
            JsonNode ack = SidecarProcess.parse(body);
            return new WriteRecord(
                    key,
                    sync,
                    member,
                    start,
                    end,
                    Outcome.ACKED,
                    ack.path("partition").asInt(),
                    ack.path("epoch").asLong(),
                    ack.path("index").asLong(),
                    ack.path("leader").asText(null),
                    body);
        }
        String error = errorText(body);
        // The sidecar's own verdict: "rejected" means nothing was written. Anything else, or no answer we can read
        // (a time-out, a bare 500), means we cannot know.
        Outcome outcome = "rejected".equals(field(body, "outcome")) ? Outcome.REFUSED : Outcome.UNKNOWN;
        return new WriteRecord(key, sync, member, start, end, outcome, -1, 0, 0, null, status + " " + error);
    }

    private static String field(String body, String name) {
        try {
            JsonNode value = SidecarProcess.parse(body).get(name);
            return value == null ? null : value.asText();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String errorText(String body) {
        try {
            JsonNode error = SidecarProcess.parse(body).get("error");
            return error == null ? body : error.asText();
        } catch (RuntimeException e) {
            return body;
        }
    }

    /**
     * The first {@code sync} write started at or after {@code sinceNanos} and acknowledged in {@code partition} (any
     * partition when -1): its end, if any.
     */
    Optional<Long> firstAckedSyncEnd(long sinceNanos, int partition) {
        return records.stream()
                .filter(r -> r.outcome() == Outcome.ACKED && r.sync() && r.startNanos() >= sinceNanos)
                .filter(r -> partition < 0 || r.partition() == partition)
                .map(WriteRecord::endNanos)
                .min(Long::compare);
    }

    List<WriteRecord> records() {
        return List.copyOf(records);
    }

    /** Asks the clients to stop and waits for their calls in flight to end. */
    void stop() {
        stopping = true;
        for (Thread t : threads) {
            try {
                t.join(callTimeout.toMillis() * 2 + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
