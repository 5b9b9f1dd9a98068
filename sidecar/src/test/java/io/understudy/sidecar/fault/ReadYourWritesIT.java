package io.understudy.sidecar.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.understudy.sidecar.fault.WriteRecord.Outcome;
import io.understudy.sidecar.testing.RecordingApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 3 item 6: a write acknowledged through one member can be waited for, and then read, on every other. */
@Tag("fault")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReadYourWritesIT {
    private static Cluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = Cluster.start(ClusterSettings.suite(1), "ReadYourWritesIT");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) cluster.close();
    }

    @Test
    void syncWriteThroughOneMemberIsAppliedOnTheOthersOnceWaitedFor() throws Exception {
        String leader = cluster.leader(0).orElseThrow();
        for (SidecarProcess writer : cluster.members()) { // through the leader and through each follower
            String key = "ryw-via-" + writer.id();
            WriteRecord ack = write(writer, key);
            assertEquals(Outcome.ACKED, ack.outcome(), () -> "write through " + writer.id() + ": " + ack.detail());
            assertEquals(leader, ack.leader());
            for (SidecarProcess reader : cluster.members()) {
                if (reader == writer) continue;
                HttpResponse<String> wait = reader.get(
                                "/v1/wait?partition=" + ack.partition() + "&index=" + ack.index() + "&epoch="
                                        + ack.epoch() + "&timeoutMs=5000",
                                Duration.ofSeconds(10))
                        .orElseThrow();
                assertEquals(200, wait.statusCode(), () -> reader.id() + " wait: " + wait.body());
                List<RecordingApp.Applied> applied = reader.app().applied(ack.partition());
                assertTrue(applied.size() >= ack.index(), reader.id() + "'s app has not applied " + ack.index());
                RecordingApp.Applied entry = applied.get((int) ack.index() - 1);
                assertEquals(key, entry.key(), reader.id() + "'s app holds another entry at " + ack.index());
                assertEquals(key, entry.payload());
                assertEquals(ack.epoch(), entry.epoch());
            }
        }
    }

    @Test
    void waitForAnIndexFarAheadTimesOutWith504() {
        SidecarProcess reader = cluster.members().get(1);
        long far = reader.status()
                        .orElseThrow()
                        .path("partitions")
                        .get(0)
                        .path("logEnd")
                        .asLong()
                + 1_000;
        HttpResponse<String> wait = reader.get(
                        "/v1/wait?partition=0&index=" + far + "&timeoutMs=300", Duration.ofSeconds(5))
                .orElseThrow();
        assertEquals(504, wait.statusCode(), wait.body());
        JsonNode body = SidecarProcess.parse(wait.body());
        assertTrue(body.hasNonNull("error"), "a 504 says why: " + wait.body());
    }

    private static WriteRecord write(SidecarProcess member, String key) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(member.apiUrl() + "/v1/entries?key=" + key + "&durability=sync"))
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(key))
                .build();
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return Workload.classify(
                key, true, member.id(), start, System.nanoTime(), response.statusCode(), response.body());
    }
}
