package io.understudy.sidecar.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.understudy.sidecar.BuildInfo;
import io.understudy.sidecar.testing.Cli;
import io.understudy.sidecar.testing.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The operator's commands ({@code status}, {@code list}, {@code history}) against real members and ZooKeeper. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OperatorCliIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void listShowsEveryMemberWithItsVersionAndEveryPartitionWithOneLeader() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, "", 2)) {
            cluster.startAll(3, DEADLINE);
            cluster.write(cluster.leader(0), "k", "v", "sync");
            String version = BuildInfo.current().version();
            // Every member's heartbeat must be seen (alive, with its version) by the member asked.
            await().atMost(DEADLINE).until(() -> {
                JsonNode members =
                        json.readTree(cluster.get(1, "/v1/status").body()).path("members");
                int withVersion = 0;
                for (JsonNode m : members) if (version.equals(m.path("version").asText())) withVersion++;
                return withVersion == 3;
            });

            // Leadership spreads over the members (a hand-over moves one partition): wait until it has settled.
            await().atMost(DEADLINE).until(() -> leadersOf(cluster).size() == 2);

            Cli.Result asJson = Cli.run("list", "--api", cluster.api(1).toString(), "--json");

            assertEquals(0, asJson.exit(), asJson.err());
            JsonNode view = json.readTree(asJson.out());
            assertEquals("node-1", view.path("seenFrom").asText());
            assertEquals(version, view.path("version").asText());
            assertEquals(3, view.path("members").size(), asJson.out());
            assertEquals(2, view.path("partitions").size(), asJson.out());
            for (JsonNode p : view.path("partitions")) {
                Set<String> leaders = new HashSet<>();
                for (JsonNode r : p.path("replicas"))
                    if (r.path("role").asText().equals("leader"))
                        leaders.add(r.path("member").asText());
                assertEquals(Set.of(p.path("leader").asText()), leaders, p.toString());
                assertEquals(3, p.path("replicas").size(), p.toString());
                assertTrue(p.path("epoch").asLong() > 0, p.toString());
            }

            Cli.Result table = Cli.run("list", "--api", cluster.api(1).toString());

            assertEquals(0, table.exit(), table.err());
            for (int m = 1; m <= 3; m++) assertTrue(table.out().contains("| node-" + m + " "), table.out());
            assertTrue(table.out().contains("| " + version + " "), table.out());
            assertTrue(table.out().contains("Group: it (seen from node-1"), table.out());
            assertEquals(2, table.out().split("\\| leader ", -1).length - 1, table.out());
        }
    }

    /** The distinct leaders {@code list --json} names, one per partition led by a member whose heartbeat says so. */
    private Set<String> leadersOf(LocalCluster cluster) throws Exception {
        Set<String> leaders = new HashSet<>();
        JsonNode view = json.readTree(
                Cli.run("list", "--api", cluster.api(1).toString(), "--json").out());
        for (JsonNode p : view.path("partitions"))
            if (p.path("leader").isTextual()) leaders.add(p.path("leader").asText());
        return leaders;
    }

    @Test
    void statusJsonNamesTheBuildOfTheMemberAndOfEveryLiveMember() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, "")) {
            cluster.startAll(2, DEADLINE);
            BuildInfo build = BuildInfo.current();

            Cli.Result result = Cli.run("status", "--api", cluster.api(2).toString(), "--json");

            assertEquals(0, result.exit(), result.err());
            JsonNode status = json.readTree(result.out());
            assertEquals(build.version(), status.path("version").asText(), result.out());
            assertEquals(build.commit(), status.path("commit").asText(), result.out());
            for (JsonNode m : status.path("members")) {
                assertEquals(build.version(), m.path("version").asText(), m.toString());
            }
        }
    }

    @Test
    void historyGainsAnEpochWhenTheLeaderFails() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, "")) {
            cluster.startAll(3, DEADLINE);
            int first = cluster.leader();
            String[] history = {
                "history", "--zookeeper", cluster.zookeeperConnect(), "--group", "it", "--partition", "0", "--json"
            };
            JsonNode before = json.readTree(Cli.run(history).out()).path("epochs");
            assertEquals(1, before.size(), before.toString());
            assertEquals("node-" + first, before.get(0).path("leader").asText());

            cluster.stop(first);
            await().atMost(DEADLINE).until(() -> cluster.leader() > 0);
            int second = cluster.leader();

            Cli.Result after = Cli.run(history);
            assertEquals(0, after.exit(), after.err());
            JsonNode epochs = json.readTree(after.out()).path("epochs");
            assertEquals(2, epochs.size(), after.out());
            JsonNode last = epochs.get(1);
            assertEquals("node-" + second, last.path("leader").asText(), after.out());
            assertTrue(last.path("epoch").asLong() > before.get(0).path("epoch").asLong(), after.out());
            assertTrue(last.path("at").asLong() > 0, after.out());

            Cli.Result table = Cli.run(java.util.Arrays.copyOf(history, history.length - 1));
            assertEquals(0, table.exit(), table.err());
            assertTrue(table.out().contains("| node-" + second + " "), table.out());
        }
    }

    @Test
    void historyOfAnUnknownGroupSaysWhatToCheck() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, "")) {
            Cli.Result result = Cli.run(
                    "history", "--zookeeper", cluster.zookeeperConnect(), "--group", "nope", "--partition", "0");

            assertEquals(1, result.exit(), result.out());
            assertTrue(result.err().contains("check the group and partition"), result.err());
        }
    }

    @Test
    void commandsAgainstNoSidecarSayToCheckTheApiAddress() throws Exception {
        String nobody = "http://127.0.0.1:" + FreePorts.next();

        Cli.Result text = Cli.run("list", "--api", nobody);
        Cli.Result asJson = Cli.run("status", "--api", nobody, "--json");

        assertEquals(1, text.exit());
        assertTrue(text.err().contains("cannot reach " + nobody + ": is the sidecar running? check --api"), text.err());
        assertEquals(1, asJson.exit());
        assertTrue(json.readTree(asJson.out()).path("error").asText().contains("check --api"), asJson.out());
    }
}
