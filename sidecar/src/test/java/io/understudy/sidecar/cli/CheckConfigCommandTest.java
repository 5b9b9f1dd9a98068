package io.understudy.sidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.understudy.sidecar.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code check-config FILE}, as an Ansible {@code validate:} step calls it: exit code and what it prints. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CheckConfigCommandTest {
    private static final String GOOD = """
            group: catalog
            member: node-1
            zookeeper: { connect: "127.0.0.1:2181" }
            peer: { listen: "127.0.0.1:7101", token: "secret" }
            dataDir: /var/lib/understudy/node-1
            partitions: 3
            """;

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    private String file(String name, String yaml) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return file.toString();
    }

    @Test
    void aValidFileExitsZeroAndSaysWhatItDescribes() throws Exception {
        Cli.Result result = Cli.run("check-config", file("good.yaml", GOOD));

        assertEquals(0, result.exit(), result.err());
        assertTrue(result.out().contains("is valid: member node-1 of group catalog, 3 partition(s)"), result.out());
        assertFalse(result.out().contains("warning"), result.out());
    }

    @Test
    void aValidFileThatGivesSafetyAwayExitsZeroWithItsWarning() throws Exception {
        String file = file("one-copy.yaml", GOOD + "replication: { minInSync: 1 }\n");

        Cli.Result text = Cli.run("check-config", file);
        Cli.Result asJson = Cli.run("check-config", file, "--json");

        assertEquals(0, text.exit(), text.err());
        assertTrue(text.out().contains("warning: replication.minInSync is 1"), text.out());
        JsonNode report = json.readTree(asJson.out());
        assertTrue(report.path("valid").asBoolean(), asJson.out());
        assertEquals(1, report.path("warnings").size(), asJson.out());
    }

    @Test
    void aMisspelledKeyExitsOneNamingTheKey() throws Exception {
        String file = file("typo.yaml", GOOD + "replication: { minInSynk: 2 }\n");

        Cli.Result text = Cli.run("check-config", file);
        Cli.Result asJson = Cli.run("check-config", file, "--json");

        assertEquals(1, text.exit());
        assertTrue(text.err().contains("is not valid"), text.err());
        assertTrue(text.err().contains("minInSynk"), text.err());
        assertEquals(1, asJson.exit());
        JsonNode report = json.readTree(asJson.out());
        assertFalse(report.path("valid").asBoolean(), asJson.out());
        assertTrue(report.path("errors").get(0).path("message").asText().contains("minInSynk"), asJson.out());
    }

    @Test
    void everyBadKeyIsReportedNotOnlyTheFirst() throws Exception {
        String file = file(
                "two-bad.yaml",
                GOOD.replace("partitions: 3", "partitions: lots") + "replication: { fsync: sometimes }\n");

        Cli.Result text = Cli.run("check-config", file);
        Cli.Result asJson = Cli.run("check-config", file, "--json");

        assertEquals(1, text.exit());
        assertTrue(text.err().contains("'partitions'"), text.err());
        assertTrue(text.err().contains("'replication.fsync'"), text.err());
        assertEquals(2, json.readTree(asJson.out()).path("errors").size(), asJson.out());
    }

    @Test
    void aMissingFileExitsOne() throws Exception {
        Cli.Result result = Cli.run("check-config", dir.resolve("absent.yaml").toString());

        assertEquals(1, result.exit());
        assertTrue(result.err().contains("does not exist"), result.err());
    }
}
