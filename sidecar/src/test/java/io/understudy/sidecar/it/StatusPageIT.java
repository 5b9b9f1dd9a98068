package io.understudy.sidecar.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.understudy.sidecar.testing.FailingForce;
import io.understudy.sidecar.testing.HeadlessChromium;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page at {@code GET /}, rendered by a real headless Chromium against a real group: what a person sees
 * once the page's scripts have fetched {@code /v1/status}. Screenshots are kept under {@code target/} as artifacts.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StatusPageIT {
    private static final Duration DEADLINE = Duration.ofSeconds(40);
    /** Virtual time the page runs before the dump: two refreshes. */
    private static final Duration PAGE_TIME = Duration.ofSeconds(5);

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void pageNamesEveryMemberAndTheLeaderOfEveryPartition() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.find(dir.resolve("chromium"));
        try (LocalCluster cluster = new LocalCluster(dir, ", leaderBalanceDelayMs: 500", 3)) {
            cluster.startAll(3, DEADLINE);
            for (int i = 0; i < 30; i++) cluster.write(1 + i % 3, "k" + i, "v" + i, "sync");
            // Leadership settles one partition per member; member 1's status names each leader once the leader's
            // own heartbeat says it leads.
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> {
                Set<Integer> leaders = new HashSet<>();
                for (int p = 0; p < 3; p++) leaders.add(cluster.leader(p));
                return leaders.equals(Set.of(1, 2, 3)) && statusNamesLeaders(cluster, 1);
            });

            String dom = chromium.dumpDom(cluster.uri(1, "/"), PAGE_TIME);

            for (int m = 1; m <= 3; m++) {
                assertTrue(
                        Pattern.compile("data-member=\"node-" + m + "\"[^>]*data-state=\"up\"")
                                .matcher(dom)
                                .find(),
                        "the page shows node-" + m + " as up:\n" + dom);
            }
            for (int p = 0; p < 3; p++) {
                String leader = "node-" + cluster.leader(p);
                Matcher row = Pattern.compile("<tr[^>]*data-partition=\"" + p + "\"[^>]*>(.*?)</tr>", Pattern.DOTALL)
                        .matcher(dom);
                assertTrue(row.find(), "the page has a row for partition " + p + ":\n" + dom);
                assertTrue(row.group(0).contains("data-leader=\"" + leader + "\""), row.group(0));
                assertTrue(text(row.group(1)).contains(leader), "row of partition " + p + " names " + leader);
            }
            String text = text(dom);
            assertTrue(text.contains("ZooKeeper connected"), text);
            assertTrue(text.contains("No events"), "this member has no /v1/events (404): " + text);
            assertTrue(!dom.contains("class=\"banner error\""), "no error banner:\n" + dom);

            chromium.screenshot(cluster.uri(1, "/"), PAGE_TIME, Path.of("target", "status-page.png"), 1280, 900);
        }
    }

    @Test
    void pageShowsAStoppedMemberDownAndAFailedPartitionWithItsReason() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.find(dir.resolve("chromium"));
        Map<Integer, FailingForce> disks = new HashMap<>();
        try (LocalCluster cluster = new LocalCluster(dir, "")) {
            for (int m = 1; m <= 3; m++) {
                disks.put(m, new FailingForce());
                cluster.start(m, disks.get(m));
            }
            cluster.awaitIsr(3, DEADLINE);
            int leader = cluster.leader();
            int failing = leader % 3 + 1;
            int stopped = failing % 3 + 1;
            disks.get(failing).arm();
            assertEquals(200, cluster.write(leader, "k", "v", "sync").statusCode());
            await().atMost(DEADLINE)
                    .until(() -> cluster.sidecar(failing).replicas().replica(0).isFailed());
            cluster.stop(stopped);
            await().atMost(DEADLINE)
                    .until(() -> !status(cluster, failing)
                            .path("members")
                            .toString()
                            .contains("\"id\":\"node-" + stopped + "\",\"alive\":true"));
            String failure = status(cluster, failing)
                    .path("partitions")
                    .get(0)
                    .path("failure")
                    .asText();

            String dom = chromium.dumpDom(cluster.uri(failing, "/"), PAGE_TIME);

            assertTrue(
                    Pattern.compile("data-member=\"node-" + stopped + "\"[^>]*data-state=\"down\"")
                            .matcher(dom)
                            .find(),
                    "the page shows the stopped node-" + stopped + " as down:\n" + dom);
            assertTrue(
                    Pattern.compile("<tr[^>]*data-partition=\"0\"[^>]*data-state=\"failed\"")
                            .matcher(dom)
                            .find(),
                    "partition 0 is marked FAILED:\n" + dom);
            assertTrue(!failure.isEmpty() && text(dom).contains(failure), "the page shows why: " + failure);

            chromium.screenshot(
                    cluster.uri(failing, "/"), PAGE_TIME, Path.of("target", "status-page-trouble.png"), 1280, 900);
        }
    }

    @Test
    void pageShowsZooKeeperGoneWhileTheMemberStillAnswers() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.find(dir.resolve("chromium"));
        try (LocalCluster cluster = new LocalCluster(dir, "")) {
            cluster.startAll(3, DEADLINE);

            cluster.stopZooKeeper();
            await().atMost(DEADLINE)
                    .until(() -> !"connected"
                            .equals(status(cluster, 1)
                                    .path("zookeeper")
                                    .path("state")
                                    .asText()));

            String dom = chromium.dumpDom(cluster.uri(1, "/"), PAGE_TIME);

            String pill = Pattern.compile("<span[^>]*id=\"zookeeper\"[^>]*>.*?</span>\\s*ZooKeeper (\\w+)")
                    .matcher(dom)
                    .results()
                    .map(m -> m.group(1))
                    .findFirst()
                    .orElse("absent");
            assertTrue(Set.of("suspended", "lost").contains(pill), "ZooKeeper shown as " + pill + ":\n" + dom);
            assertTrue(
                    Pattern.compile("class=\"pill (warn|bad)\" id=\"zookeeper\"")
                            .matcher(dom)
                            .find(),
                    "the ZooKeeper state is marked as a problem:\n" + dom);
        }
    }

    private JsonNode status(LocalCluster cluster, int member) throws Exception {
        return json.readTree(cluster.get(member, "/v1/status").body());
    }

    private boolean statusNamesLeaders(LocalCluster cluster, int member) throws Exception {
        JsonNode partitions = status(cluster, member).path("partitions");
        for (JsonNode p : partitions) {
            if (!("node-" + cluster.leader(p.path("partition").asInt()))
                    .equals(p.path("leader").asText())) return false;
        }
        return true;
    }

    /** The visible text of some HTML: tags dropped, entities of the few characters the page escapes decoded. */
    private static String text(String html) {
        return html.replaceAll("<[^>]*>", " ")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&")
                .replaceAll("\\s+", " ");
    }
}
