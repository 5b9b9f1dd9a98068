package io.understudy.sidecar.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ConfigKeyTest {

    @Test
    void environmentNamesSplitCamelCaseAndDots() {
        assertEquals("UNDERSTUDY_ZOOKEEPER_CONNECT", ConfigKey.ZOOKEEPER_CONNECT.envName());
        assertEquals("UNDERSTUDY_REPLICATION_MIN_IN_SYNC", ConfigKey.REPLICATION_MIN_IN_SYNC.envName());
        assertEquals("UNDERSTUDY_DATA_DIR", ConfigKey.DATA_DIR.envName());
        assertEquals("UNDERSTUDY_PEER_TOKEN", ConfigKey.PEER_TOKEN.envName());
        assertEquals("UNDERSTUDY_ZOOKEEPER_SESSION_TIMEOUT_MS", ConfigKey.ZOOKEEPER_SESSION_TIMEOUT_MS.envName());
    }

    @Test
    void environmentNamesAreDistinct() {
        assertEquals(
                ConfigKey.values().length,
                Arrays.stream(ConfigKey.values())
                        .map(ConfigKey::envName)
                        .distinct()
                        .count());
    }

    @Test
    void sectionsComeFromTheKeys() {
        assertTrue(ConfigKey.isSection("replication"));
        assertTrue(ConfigKey.isSection("zookeeper"));
        assertTrue(!ConfigKey.isSection("group"));
    }

    @Test
    void readmeTableListsEveryKeyWithItsDefault() {
        String table = ConfigKey.markdownTable();

        for (ConfigKey key : ConfigKey.values()) {
            assertTrue(table.contains("| `" + key.path() + "` | `" + key.envName() + "` |"), key.path());
        }
        assertTrue(table.contains("| `replication.minInSync` | `UNDERSTUDY_REPLICATION_MIN_IN_SYNC` | `2` |"), table);
        assertTrue(table.contains("| `peer.token` | `UNDERSTUDY_PEER_TOKEN` | required |"), table);
        assertTrue(
                table.contains("| `replication.compression` | `UNDERSTUDY_REPLICATION_COMPRESSION` | `none` "
                        + "| one of none, lz4, zstd |"),
                table);
    }

    @Test
    void highPriorityPartitionsAreAListOrCommaText() throws ConfigException {
        String yaml = ConfigFixtures.MINIMAL + "partitions: 3\nreplication: { highPriorityPartitions: [0, 2] }\n";

        assertEquals(
                java.util.Set.of(0, 2),
                ConfigLoader.parse(yaml, java.util.Map.of()).replication().highPriorityPartitions());
        assertEquals(
                java.util.Set.of(1),
                ConfigLoader.parse(
                                ConfigFixtures.MINIMAL + "partitions: 3\n",
                                java.util.Map.of("UNDERSTUDY_REPLICATION_HIGH_PRIORITY_PARTITIONS", "1"))
                        .replication()
                        .highPriorityPartitions());
        org.junit.jupiter.api.Assertions.assertThrows(
                ConfigException.class,
                () -> ConfigLoader.parse(
                        ConfigFixtures.MINIMAL + "replication: { highPriorityPartitions: [1] }\n", java.util.Map.of()));
    }

    @Test
    void readmeHoldsTheGeneratedTable() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("../README.md"));

        for (String row : ConfigKey.markdownTable().split("\n")) {
            assertTrue(readme.contains(row), "README.md lacks the config table row: " + row);
        }
    }

    @Test
    void compressionIsReadByName() throws ConfigException {
        String yaml = ConfigFixtures.MINIMAL + "replication: { compression: zstd }\n";

        assertEquals(
                Compression.ZSTD,
                ConfigLoader.parse(yaml, java.util.Map.of()).replication().compression());
        assertEquals(
                Compression.NONE,
                ConfigLoader.parse(ConfigFixtures.MINIMAL, java.util.Map.of())
                        .replication()
                        .compression());
    }

    @Test
    void suggestionsCatchTyposButNotStrangers() {
        assertEquals(
                "replication.minInSync",
                KeySpelling.closest("replication.minInsync").orElseThrow());
        assertEquals("zookeeper", KeySpelling.closest("zookeper").orElseThrow());
        assertEquals("peer.token", KeySpelling.closest("token").orElseThrow());
        assertTrue(KeySpelling.closest("colour").isEmpty());
        assertTrue(KeySpelling.closest("heartbeatIntervalMs").isEmpty(), "two sections have it: no single guess");
        assertEquals(
                "UNDERSTUDY_REPLICATION_FSYNC",
                KeySpelling.closestEnvName("UNDERSTUDY_REPLICATON_FSYNC").orElseThrow());
    }

    @Test
    void enumsParseTheirConfigNamesIgnoringCase() {
        assertEquals(Durability.SYNC, Durability.parse("sync"));
        assertEquals(Durability.ASYNC, Durability.parse("Async"));
        assertEquals(Fsync.INTERVAL, Fsync.parse("INTERVAL"));
        assertEquals("interval", Fsync.INTERVAL.configName());
    }
}
