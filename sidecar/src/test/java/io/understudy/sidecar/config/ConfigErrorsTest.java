package io.understudy.sidecar.config;

import static io.understudy.sidecar.config.ConfigFixtures.DESIGN_EXAMPLE;
import static io.understudy.sidecar.config.ConfigFixtures.MINIMAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Configs that are refused, and what the message says: every one names the key or the file. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ConfigErrorsTest {

    @Test
    void missingRequiredKeyNamesTheKeyAndItsVariable() {
        String yaml = MINIMAL.replace("  connect: 127.0.0.1:2181\n", "  sessionTimeoutMs: 4000\n");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, Map.of()));

        assertEquals("zookeeper.connect", e.key());
        assertEquals(
                "config key 'zookeeper.connect' is required (set it in the file or UNDERSTUDY_ZOOKEEPER_CONNECT)",
                e.getMessage());
    }

    @Test
    void emptyTokenIsRefused() {
        String yaml = MINIMAL.replace("token: secret", "token: ''");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, Map.of()));

        assertEquals("peer.token", e.key());
        assertEquals("config key 'peer.token': expected a non-empty string, found ''", e.getMessage());
    }

    @Test
    void wrongTypeSaysWhatWasExpectedAndFound() {
        String yaml = DESIGN_EXAMPLE.replace("minInSync: 2", "minInSync: two");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, Map.of()));

        assertEquals("replication.minInSync", e.key());
        assertEquals("config key 'replication.minInSync': expected a whole number >= 1, found 'two'", e.getMessage());
    }

    @Test
    void wrongTypeFromTheEnvironmentNamesTheVariable() {
        Map<String, String> env = Map.of("UNDERSTUDY_ZOOKEEPER_SESSION_TIMEOUT_MS", "4s");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(DESIGN_EXAMPLE, env));

        assertEquals("zookeeper.sessionTimeoutMs", e.key());
        assertEquals(
                "config key 'zookeeper.sessionTimeoutMs' (from UNDERSTUDY_ZOOKEEPER_SESSION_TIMEOUT_MS): "
                        + "expected a whole number of milliseconds >= 500, found '4s'",
                e.getMessage());
    }

    @Test
    void numberOutOfRangeIsRefused() {
        String yaml = DESIGN_EXAMPLE.replace("partitions: 1", "partitions: 2000");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, Map.of()));

        assertEquals("partitions", e.key());
        assertEquals("config key 'partitions': expected a whole number from 1 to 1024, found '2000'", e.getMessage());
    }

    @Test
    void mapWhereAValueBelongsIsRefused() {
        String yaml = MINIMAL.replace("group: catalog", "group: { name: catalog }");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, Map.of()));

        assertEquals("group", e.key());
        assertTrue(e.getMessage().startsWith("config key 'group': expected an id"), e.getMessage());
        assertTrue(e.getMessage().endsWith("found a map"), e.getMessage());
    }

    @Test
    void unknownKeySuggestsTheKnownOne() {
        String yaml = DESIGN_EXAMPLE.replace("minInSync: 2", "minInsync: 2");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, Map.of()));

        assertEquals("replication.minInsync", e.key());
        assertEquals(
                "unknown config key 'replication.minInsync' (did you mean 'replication.minInSync'?)", e.getMessage());
    }

    @Test
    void unknownKeyFarFromAnyKnownOneHasNoSuggestion() {
        ConfigException e =
                assertThrows(ConfigException.class, () -> ConfigLoader.parse(MINIMAL + "colour: blue\n", Map.of()));

        assertEquals("colour", e.key());
        assertEquals("unknown config key 'colour'", e.getMessage());
    }

    @Test
    void keyInTheWrongSectionSuggestsWhereItBelongs() {
        String yaml = MINIMAL + "app:\n  token: secret\n";

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, Map.of()));

        assertEquals("unknown config key 'app.token' (did you mean 'peer.token'?)", e.getMessage());
    }

    @Test
    void badEnumValueListsTheChoices() {
        String yaml = DESIGN_EXAMPLE.replace("fsync: always", "fsync: sometimes");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, Map.of()));

        assertEquals("replication.fsync", e.key());
        assertEquals(
                "config key 'replication.fsync': expected one of always, interval, never, found 'sometimes'",
                e.getMessage());
    }

    @Test
    void invalidMemberIdIsRefused() {
        String yaml = DESIGN_EXAMPLE.replace("member: node-1", "member: \"node 1/evil\"");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, Map.of()));

        assertEquals("member", e.key());
        assertTrue(e.getMessage().startsWith("config key 'member': expected an id of 1 to 64 letters"), e.getMessage());
        assertTrue(e.getMessage().endsWith("found 'node 1/evil'"), e.getMessage());
    }

    @Test
    void nonHttpUrlIsRefused() {
        String yaml = DESIGN_EXAMPLE.replace("url: \"http://127.0.0.1:8001\"", "url: \"ftp://127.0.0.1:8001\"");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, Map.of()));

        assertEquals("app.url", e.key());
        assertEquals(
                "config key 'app.url': expected an absolute http:// or https:// URL, found 'ftp://127.0.0.1:8001'",
                e.getMessage());
    }

    @Test
    void relativeAdvertiseUrlIsRefused() {
        String yaml = DESIGN_EXAMPLE.replace("advertise: \"http://127.0.0.1:7101\"", "advertise: \"127.0.0.1:7101\"");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, Map.of()));

        assertEquals("peer.advertise", e.key());
        assertTrue(e.getMessage().startsWith("config key 'peer.advertise': expected an absolute"), e.getMessage());
    }

    @Test
    void sameListenAddressForApiAndPeerIsRefused() {
        String yaml = DESIGN_EXAMPLE.replace("listen: \"127.0.0.1:7001\"", "listen: \"127.0.0.1:7101\"");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, Map.of()));

        assertEquals("peer.listen", e.key());
        assertTrue(
                e.getMessage().startsWith("config key 'peer.listen': expected an address other than api.listen"),
                e.getMessage());
    }

    @Test
    void wildcardPeerListenNeedsAnExplicitAdvertise() {
        String yaml = MINIMAL.replace("listen: 127.0.0.1:7101", "listen: 0.0.0.0:7101");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, Map.of()));

        assertEquals("peer.advertise", e.key());
    }

    @Test
    void minInSyncAboveTheGroupLimitIsRefused() {
        String yaml = DESIGN_EXAMPLE.replace("minInSync: 2", "minInSync: 1025");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, Map.of()));

        assertEquals("replication.minInSync", e.key());
    }

    @Test
    void keyWrittenTwiceIsRefused() {
        String yaml = MINIMAL + "zookeeper.connect: 10.0.0.1:2181\n";

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, Map.of()));

        assertEquals("zookeeper.connect", e.key());
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        Path file = dir.resolve("sidecar.yaml");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));

        assertEquals("config file " + file + " does not exist", e.getMessage());
    }

    @Test
    void yamlSyntaxErrorNamesTheFileAndLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sidecar.yaml");
        Files.writeString(file, "group: catalog\nmember: node-1\nzookeeper: { connect: \"127.0.0.1:2181\"\n");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Map.of()));

        assertTrue(e.getMessage().startsWith("config file " + file + " is not valid YAML at line "), e.getMessage());
    }

    @Test
    void unquotedYamlBooleanWhereTextBelongsIsRefused() {
        String yaml = MINIMAL.replace("member: node-1", "member: no");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, Map.of()));

        assertEquals("member", e.key());
        assertTrue(
                e.getMessage().endsWith("found a YAML boolean (false); quote the value if it is meant as text"),
                e.getMessage());
    }

    @Test
    void aBodyLimitAboveItsBoundIsRefusedNamingTheKey() {
        Map<String, String> env = Map.of("UNDERSTUDY_API_MAX_BODY_BYTES", "1073741824");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(MINIMAL, env));

        assertEquals("api.maxBodyBytes", e.key());
        assertTrue(e.getMessage().contains("from 1 to 67108864"), e.getMessage());
    }

    @Test
    void pendingWritesAreBoundedByDefaultAndConfigurable() throws ConfigException {
        assertEquals(4096, ConfigLoader.parse(MINIMAL, Map.of()).replication().maxPendingWrites());
        assertEquals(
                16,
                ConfigLoader.parse(MINIMAL, Map.of("UNDERSTUDY_REPLICATION_MAX_PENDING_WRITES", "16"))
                        .replication()
                        .maxPendingWrites());
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> ConfigLoader.parse(MINIMAL, Map.of("UNDERSTUDY_REPLICATION_MAX_PENDING_WRITES", "0")));
        assertEquals("replication.maxPendingWrites", e.key());
    }
}
