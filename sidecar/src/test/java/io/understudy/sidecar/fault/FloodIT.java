package io.understudy.sidecar.fault;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.sidecar.testing.FreePorts;
import io.understudy.sidecar.testing.RecordingApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two sidecar processes with a 64 MiB heap flooded with 64 KiB async writes over 1,000 connections: every answer
 * is 200, 429 or 503, both stay up (no thread dies of OutOfMemoryError, or the member would exit), and afterwards
 * the group is whole and every acknowledged write is applied on both members.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FloodIT {
    private static final int CONNECTIONS = 1000;
    private static final Duration FLOOD = Duration.ofSeconds(6);
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final byte[] BODY = new byte[64 << 10];

    @TempDir
    Path dir;

    private record Member(String id, int apiPort, RecordingApp app, ChildProcess process) {
        String url(String path) {
            return "http://127.0.0.1:" + apiPort + path;
        }
    }

    private Member member(int n, String zk) throws Exception {
        String id = "node-" + n;
        int api = FreePorts.next();
        int peer = FreePorts.next();
        RecordingApp app = new RecordingApp(id);
        Path config = dir.resolve(id + ".yaml");
        Files.writeString(config, """
                group: flood
                member: %s
                zookeeper: { connect: "%s", sessionTimeoutMs: 4000 }
                api: { listen: "127.0.0.1:%d" }
                peer: { listen: "127.0.0.1:%d", token: "flood-t0ken" }
                app: { url: "%s", retryBackoffMs: 100 }
                dataDir: "%s"
                replication: { minInSync: 2, fsync: always, replicaLagMaxMs: 5000, maxPendingWrites: 512 }
                """.formatted(id, zk, api, peer, app.url(), dir.resolve(id)));
        ChildProcess process = new ChildProcess(
                id,
                List.of("-Xmx64m"),
                List.of("run", "--config", config.toString()),
                Path.of("target/fault-logs/flood").toAbsolutePath().resolve(id + ".log"));
        process.start();
        return new Member(id, api, app, process);
    }

    @Test
    void aFloodOfLargeAsyncWritesGetsOnly200Or429Or503AndLeavesTheGroupWhole() throws Exception {
        Arrays.fill(BODY, (byte) 'x');
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                // 1,000 connections opened at once overflow the listen backlog on a loaded machine: the kernel then
                // drops SYNs and the client retries them (1 s, 3 s, ...). Wait for that; answers are what is tested.
                .connectTimeout(Duration.ofSeconds(20))
                .build();
        try (TestingServer zk = new TestingServer(true)) {
            List<Member> members = List.of(member(1, zk.getConnectString()), member(2, zk.getConnectString()));
            try {
                await().atMost(DEADLINE)
                        .ignoreExceptions()
                        .until(() -> members.stream()
                                .allMatch(m -> get(http, m.url("/v1/ready")).statusCode() == 200));

                Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
                ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
                ConcurrentLinkedQueue<JsonNode> acks = new ConcurrentLinkedQueue<>();
                Semaphore open = new Semaphore(CONNECTIONS);
                AtomicInteger sent = new AtomicInteger();
                long end = System.nanoTime() + FLOOD.toNanos();
                while (System.nanoTime() < end) {
                    open.acquire();
                    int n = sent.incrementAndGet();
                    Member target = members.get(n % 2); // half of them forwarded by the follower
                    HttpRequest request = HttpRequest.newBuilder(
                                    URI.create(target.url("/v1/entries?durability=async&key=f-" + n)))
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(BODY))
                            .build();
                    http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                            .whenComplete((response, error) -> {
                                try {
                                    record(response, error, answers, acks, failures);
                                } finally {
                                    open.release(); // after recording: the count below then sees every answer
                                }
                            });
                }
                open.acquire(CONNECTIONS); // every request answered

                System.out.println("flood: " + sent.get() + " writes, answers " + answers);
                assertEquals(
                        sent.get(),
                        answers.values().stream().mapToInt(AtomicInteger::get).sum() + failures.size());
                assertEquals(List.of(), new ArrayList<>(failures).subList(0, Math.min(failures.size(), 10)));
                assertTrue(acks.size() > 0, "some writes were acknowledged: " + answers);
                for (Member m : members) assertTrue(m.process().isRunning(), m.id() + " is still up");

                await().atMost(DEADLINE)
                        .ignoreExceptions()
                        .until(() -> members.stream()
                                .allMatch(m -> get(http, m.url("/v1/ready")).statusCode() == 200
                                        && SidecarProcess.parse(get(http, m.url("/v1/status"))
                                                                .body())
                                                        .path("partitions")
                                                        .get(0)
                                                        .path("isr")
                                                        .size()
                                                == 2));
                long last = acks.stream()
                        .mapToLong(a -> a.path("index").asLong())
                        .max()
                        .orElseThrow();
                for (Member m : members) {
                    await().atMost(DEADLINE).until(() -> m.app().appliedIndex(0) >= last);
                    List<RecordingApp.Applied> applied = m.app().applied(0);
                    for (JsonNode ack : acks) {
                        RecordingApp.Applied entry =
                                applied.get((int) ack.path("index").asLong() - 1);
                        assertEquals(ack.path("epoch").asLong(), entry.epoch(), m.id() + " " + ack);
                    }
                    assertEquals(List.of(), m.app().anomalies());
                }
                for (Member m : members) assertTrue(m.process().isRunning(), m.id() + " is still up");
            } finally {
                for (Member m : members) {
                    m.process().close();
                    m.app().close();
                }
            }
        }
    }

    private static void record(
            HttpResponse<String> response,
            Throwable error,
            Map<Integer, AtomicInteger> answers,
            ConcurrentLinkedQueue<JsonNode> acks,
            ConcurrentLinkedQueue<String> failures) {
        if (error != null) {
            failures.add("no answer: " + error);
            return;
        }
        answers.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
        int status = response.statusCode();
        if (status == 200) {
            acks.add(SidecarProcess.parse(response.body()));
        } else if (status != 429 && status != 503) {
            failures.add(status + " " + response.body());
        } else if (response.headers().firstValue("Retry-After").isEmpty()
                || (status == 429
                        && !"OVERLOADED"
                                .equals(SidecarProcess.parse(response.body())
                                        .path("code")
                                        .asText()))) {
            failures.add(status + " without Retry-After or code OVERLOADED: " + response.body());
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(url + ": " + e, e);
        }
    }
}
