package io.understudy.sidecar.config;

import static io.understudy.sidecar.config.ConfigFixtures.DESIGN_EXAMPLE;
import static io.understudy.sidecar.config.ConfigFixtures.MINIMAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Configs that load: the README example, defaults, the environment. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ConfigLoaderTest {

    @Test
    void designExampleParsesToTheExpectedRecords() throws ConfigException {
        SidecarConfig config = ConfigLoader.parse(DESIGN_EXAMPLE, Map.of());

        SidecarConfig expected = new SidecarConfig(
                "catalog",
                "node-1",
                new ZooKeeperConfig(
                        "127.0.0.1:2181", Duration.ofMillis(4000), Duration.ofMillis(3000), Duration.ofMillis(1000)),
                new ApiConfig(new ListenAddress("127.0.0.1", 7001), 1_048_576),
                new PeerConfig(new ListenAddress("127.0.0.1", 7101), URI.create("http://127.0.0.1:7101"), "..."),
                new AppConfig(
                        Optional.of(URI.create("http://127.0.0.1:8001")),
                        256,
                        Duration.ofMillis(5000),
                        Duration.ofMillis(500),
                        Duration.ofMillis(1000)),
                Path.of("/var/lib/understudy/node-1"),
                1,
                new ReplicationConfig(
                        2,
                        Durability.SYNC,
                        Fsync.ALWAYS,
                        Duration.ofMillis(100),
                        Duration.ofMillis(10_000),
                        false,
                        4096,
                        1024,
                        Duration.ofMillis(200),
                        Duration.ofMillis(2000),
                        Duration.ofMillis(10_000),
                        Duration.ofMinutes(10),
                        100_000,
                        4,
                        Compression.NONE,
                        java.util.Set.of(),
                        262_144));
        assertEquals(expected, config);
    }

    @Test
    void logKeysDefaultToSixtyFourMebibyteSegmentsOneGibibyteAndSevenDays() throws ConfigException {
        assertEquals(
                new LogConfig(67_108_864, 1_073_741_824, Duration.ofDays(7)),
                ConfigLoader.parse(MINIMAL, Map.of()).log());
    }

    @Test
    void logKeysComeFromTheFileAndTheEnvironmentAndTinySegmentsAreRefused() throws ConfigException {
        String yaml = MINIMAL + "log: { segmentBytes: 1048576, retainBytes: 4194304 }\n";
        LogConfig log = ConfigLoader.parse(yaml, Map.of("UNDERSTUDY_LOG_RETAIN_MS", "60000"))
                .log();
        assertEquals(new LogConfig(1_048_576, 4_194_304, Duration.ofMinutes(1)), log);
        ConfigException tiny = org.junit.jupiter.api.Assertions.assertThrows(
                ConfigException.class, () -> ConfigLoader.parse(MINIMAL + "log: { segmentBytes: 100 }\n", Map.of()));
        assertTrue(tiny.getMessage().contains("log.segmentBytes"), tiny.getMessage());
    }

    @Test
    void absentKeysTakeTheirDefaults() throws ConfigException {
        SidecarConfig config = ConfigLoader.parse(MINIMAL, Map.of());

        assertEquals(Duration.ofMillis(4000), config.zookeeper().sessionTimeout());
        assertEquals(Duration.ofMillis(3000), config.zookeeper().connectionTimeout());
        assertEquals(Duration.ofMillis(1000), config.zookeeper().heartbeatInterval());
        assertEquals(new ListenAddress("127.0.0.1", 7001), config.api().listen());
        assertEquals(1_048_576, config.api().maxBodyBytes());
        assertEquals(URI.create("http://127.0.0.1:7101"), config.peer().advertise());
        assertEquals(Optional.empty(), config.app().url());
        assertEquals(256, config.app().batchEntries());
        assertEquals(Duration.ofMillis(5000), config.app().requestTimeout());
        assertEquals(Duration.ofMillis(500), config.app().retryBackoff());
        assertEquals(Duration.ofMinutes(10), config.replication().idempotencyWindow());
        assertEquals(100_000, config.replication().idempotencyMaxKeys());
        assertEquals(Duration.ofMillis(1000), config.app().positionCheckInterval());
        assertEquals(1, config.partitions());
        ReplicationConfig replication = config.replication();
        assertEquals(2, replication.minInSync(), "a sync write needs two copies unless the config says otherwise");
        assertEquals(Durability.SYNC, replication.defaultDurability());
        assertEquals(Fsync.ALWAYS, replication.fsync());
        assertEquals(Duration.ofMillis(100), replication.fsyncInterval());
        assertEquals(Duration.ofMillis(10_000), replication.replicaLagMax());
        assertFalse(replication.uncleanElection());
        assertEquals(1024, replication.maxBatchEntries());
        assertEquals(Duration.ofMillis(200), replication.heartbeatInterval());
        assertEquals(Duration.ofMillis(2000), replication.requestTimeout());
    }

    @Test
    void environmentWinsOverTheFileIncludingNestedCamelCaseKeys() throws ConfigException {
        Map<String, String> env = Map.of(
                "UNDERSTUDY_REPLICATION_MIN_IN_SYNC", "3",
                "UNDERSTUDY_ZOOKEEPER_CONNECT", "zk1:2181,zk2:2181",
                "UNDERSTUDY_DATA_DIR", "/data/n1",
                "UNDERSTUDY_PEER_TOKEN", "from-env",
                "UNDERSTUDY_REPLICATION_UNCLEAN_ELECTION", "true",
                "UNDERSTUDY_APP_URL", "");

        SidecarConfig config = ConfigLoader.parse(DESIGN_EXAMPLE, env);

        assertEquals(3, config.replication().minInSync());
        assertEquals("zk1:2181,zk2:2181", config.zookeeper().connect());
        assertEquals(Path.of("/data/n1"), config.dataDir());
        assertEquals("from-env", config.peer().token());
        assertTrue(config.replication().uncleanElection());
        assertEquals(Optional.empty(), config.app().url(), "an empty UNDERSTUDY_APP_URL turns delivery off");
    }

    @Test
    void environmentAloneCanSupplyRequiredKeys() throws ConfigException {
        Map<String, String> env = Map.of(
                "UNDERSTUDY_GROUP", "catalog",
                "UNDERSTUDY_MEMBER", "node-2",
                "UNDERSTUDY_ZOOKEEPER_CONNECT", "127.0.0.1:2181",
                "UNDERSTUDY_PEER_LISTEN", "127.0.0.1:7102",
                "UNDERSTUDY_PEER_TOKEN", "t",
                "UNDERSTUDY_DATA_DIR", "/data/n2");

        SidecarConfig config = ConfigLoader.parse("", env);

        assertEquals("node-2", config.member());
        assertEquals(URI.create("http://127.0.0.1:7102"), config.peer().advertise());
    }

    @Test
    void enumValuesIgnoreCase() throws ConfigException {
        String yaml = DESIGN_EXAMPLE.replace("defaultDurability: sync", "defaultDurability: ASYNC");

        assertEquals(
                Durability.ASYNC,
                ConfigLoader.parse(yaml, Map.of()).replication().defaultDurability());
    }

    @Test
    void loadReadsTheFile(@TempDir Path dir) throws IOException, ConfigException {
        Path file = dir.resolve("sidecar.yaml");
        Files.writeString(file, DESIGN_EXAMPLE);

        assertEquals(ConfigLoader.parse(DESIGN_EXAMPLE, Map.of()), ConfigLoader.load(file, Map.of()));
    }

    @Test
    void tokenIsNotShownWhenTheConfigIsPrinted() throws ConfigException {
        SidecarConfig config = ConfigLoader.parse(MINIMAL, Map.of());

        assertFalse(config.toString().contains("secret"), config.toString());
    }

    @Test
    void unknownUnderstudyVariableIsIgnoredNotFatal() throws ConfigException {
        // Launch scripts may keep their own UNDERSTUDY_ variables; the loader only logs a warning for them.
        Map<String, String> env = Map.of("UNDERSTUDY_OPTS", "-Xmx1g", "UNDERSTUDY_REPLICATON_FSYNC", "never");

        assertEquals(
                Fsync.ALWAYS, ConfigLoader.parse(MINIMAL, env).replication().fsync());
    }
}
