package io.understudy.sidecar.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host app restarted with empty memory while the group is idle (no further writes): its sidecar notices and
 * redelivers everything, and never tells a reader that the app holds an index it lacks.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AppRestartIT {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private LocalCluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) cluster.close();
    }

    private List<String> startAndWrite(String appSettings, int count) throws Exception {
        cluster = new LocalCluster(dir, "").withAppSettings(appSettings);
        cluster.startAll(3, DEADLINE);
        List<String> keys = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            var response = cluster.write(1 + i % 3, "item-" + i, "{\"n\":" + i + "}", "sync");
            assertEquals(200, response.statusCode(), response::body);
            keys.add("item-" + i);
        }
        for (int m = 1; m <= 3; m++) {
            int member = m;
            await().atMost(DEADLINE).until(() -> cluster.app(member).keys().equals(keys));
        }
        return keys;
    }

    private int aFollower() {
        return cluster.leader() == 1 ? 2 : 1;
    }

    private JsonNode partitionStatus(int member) throws Exception {
        return JSON.readTree(cluster.get(member, "/v1/status").body())
                .path("partitions")
                .get(0);
    }

    private int waitStatus(int member, long index) throws Exception {
        return cluster.get(member, "/v1/wait?partition=0&index=" + index + "&timeoutMs=200")
                .statusCode();
    }

    @Test
    void appRestartedWithEmptyMemoryGetsEveryItemBackWhileTheGroupIsIdle() throws Exception {
        List<String> keys = startAndWrite("", 25);
        int follower = aFollower();

        cluster.app(follower).forget();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> cluster.app(follower).keys().equals(keys));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> partitionStatus(follower).path("appliedIndex").asLong() == 25);
        assertEquals(List.of(), cluster.app(follower).anomalies());
    }

    @Test
    void appliedIndexAndWaitFollowWhatTheAppReallyHolds() throws Exception {
        startAndWrite("", 10);
        int follower = aFollower();

        cluster.app(follower).refuseApplies(true);
        cluster.app(follower).forget();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> partitionStatus(follower).path("appliedIndex").asLong() == 0);
        assertEquals(504, waitStatus(follower, 10), "the app holds nothing: a reader must not be told it holds 10");
        cluster.app(follower).refuseApplies(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> waitStatus(follower, 10) == 200);
        assertEquals(10, cluster.app(follower).appliedIndex(0));
    }

    @Test
    void appAskingForRedeliveryAtStartGetsItWithoutWaitingForTheCheck() throws Exception {
        // The periodic check is pushed far out: only the app's own call can explain a quick redelivery.
        List<String> keys = startAndWrite(", positionCheckIntervalMs: 600000", 15);
        int follower = aFollower();
        cluster.app(follower).refuseApplies(true);
        cluster.app(follower).forget();

        var answer = cluster.post(follower, "/v1/redeliver");

        assertEquals(200, answer.statusCode(), answer::body);
        assertEquals(JSON.readTree("{\"partitions\":{\"0\":0}}"), JSON.readTree(answer.body()));
        assertEquals(0, partitionStatus(follower).path("appliedIndex").asLong());
        assertEquals(504, waitStatus(follower, 15), "answered only once the app holds 15 again");
        cluster.app(follower).refuseApplies(false);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> cluster.app(follower).keys().equals(keys));
        assertEquals(200, waitStatus(follower, 15));

        var withPosition = cluster.post(follower, "/v1/redeliver?partition=0&position=0");
        assertEquals(JSON.readTree("{\"partitions\":{\"0\":0}}"), JSON.readTree(withPosition.body()));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> partitionStatus(follower).path("appliedIndex").asLong() == 15);
        assertEquals(List.of(), cluster.app(follower).anomalies());
    }
}
