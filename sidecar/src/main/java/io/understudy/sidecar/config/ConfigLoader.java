package io.understudy.sidecar.config;

import static io.understudy.sidecar.config.ConfigKey.*;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link SidecarConfig} from a YAML file and the environment (README.md), or refuses with a
 * {@link ConfigException} that names the key at fault.
 *
 * <p>Keys are dotted paths into the YAML ({@code replication.minInSync}); nested maps, flow maps
 * ({@code zookeeper: { connect: "..." }}) and dotted names at the top level all reach the same key. Each key may
 * also come from an environment variable ({@code UNDERSTUDY_REPLICATION_MIN_IN_SYNC}), which wins over the file.
 * Unknown keys in the file are an error, so a typo cannot go unnoticed. The keys and their defaults are listed in
 * {@link ConfigKey}.
 *
 * <p>Both methods are pure functions of their arguments: the caller passes {@code System.getenv()} or a test map.
 */
public final class ConfigLoader {
    /** The largest ISR the config can ask for; the real limit, the group's member count, is checked at start. */
    static final int MAX_MIN_IN_SYNC = 1024;

    private ConfigLoader() {}

    /**
     * Reads the YAML file at {@code file}, with {@code env} laid over it.
     *
     * @throws ConfigException when the file cannot be read or parsed, or any key is unknown, missing or bad
     */
    public static SidecarConfig load(Path file, Map<String, String> env) throws ConfigException {
        return build(read(file), "config file " + file, env);
    }

    /**
     * Reads {@code yaml} (the content of a config file), with {@code env} laid over it.
     *
     * @throws ConfigException when the text is not YAML, or any key is unknown, missing or bad
     */
    public static SidecarConfig parse(String yaml, Map<String, String> env) throws ConfigException {
        return build(yaml, "config text", env);
    }

    /**
     * Every reason {@link #load} would refuse the file, not only the first: each key is checked on its own, then,
     * when all of them are good, what needs more than one key. Empty when {@link #load} would accept it. For
     * {@code check-config}, which reports them all at once.
     */
    public static List<ConfigException> problems(Path file, Map<String, String> env) {
        String yaml;
        try {
            yaml = read(file);
        } catch (ConfigException e) {
            return List.of(e);
        }
        String source = "config file " + file;
        Settings settings;
        try {
            settings = new Settings(RawValues.read(yaml, source, env));
        } catch (ConfigException e) {
            return List.of(e);
        }
        List<ConfigException> problems = new ArrayList<>();
        for (ConfigKey key : ConfigKey.values()) {
            try {
                settings.check(key);
            } catch (ConfigException e) {
                problems.add(e);
            }
        }
        if (problems.isEmpty()) {
            try {
                build(yaml, source, env);
            } catch (ConfigException e) {
                problems.add(e);
            }
        }
        return List.copyOf(problems);
    }

    private static String read(Path file) throws ConfigException {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(null, "config file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new ConfigException(null, "cannot read config file " + file + ": " + e, e);
        }
    }

    private static SidecarConfig build(String yaml, String source, Map<String, String> env) throws ConfigException {
        Settings settings = new Settings(RawValues.read(yaml, source, env));
        SidecarConfig config = new SidecarConfig(
                settings.id(GROUP),
                settings.id(MEMBER),
                zookeeper(settings),
                new ApiConfig(settings.listen(API_LISTEN), settings.number(API_MAX_BODY_BYTES)),
                peer(settings),
                app(settings),
                settings.path(DATA_DIR),
                settings.integer(PARTITIONS),
                replication(settings),
                new LogConfig(
                        settings.number(LOG_SEGMENT_BYTES),
                        settings.number(LOG_RETAIN_BYTES),
                        settings.millis(LOG_RETAIN_MS)));
        validate(config);
        return config;
    }

    private static ZooKeeperConfig zookeeper(Settings settings) throws ConfigException {
        return new ZooKeeperConfig(
                settings.text(ZOOKEEPER_CONNECT),
                settings.millis(ZOOKEEPER_SESSION_TIMEOUT_MS),
                settings.millis(ZOOKEEPER_CONNECTION_TIMEOUT_MS),
                settings.millis(ZOOKEEPER_HEARTBEAT_INTERVAL_MS));
    }

    private static PeerConfig peer(Settings settings) throws ConfigException {
        ListenAddress listen = settings.listen(PEER_LISTEN);
        URI advertise = settings.url(PEER_ADVERTISE, "http://" + listen);
        return new PeerConfig(listen, advertise, settings.text(PEER_TOKEN));
    }

    private static AppConfig app(Settings settings) throws ConfigException {
        return new AppConfig(
                settings.optionalUrl(APP_URL),
                settings.integer(APP_BATCH_ENTRIES),
                settings.millis(APP_REQUEST_TIMEOUT_MS),
                settings.millis(APP_RETRY_BACKOFF_MS),
                settings.millis(APP_POSITION_CHECK_INTERVAL_MS),
                settings.number(SNAPSHOT_INTERVAL_ENTRIES));
    }

    private static ReplicationConfig replication(Settings settings) throws ConfigException {
        return new ReplicationConfig(
                settings.integer(REPLICATION_MIN_IN_SYNC),
                settings.durability(REPLICATION_DEFAULT_DURABILITY),
                settings.fsync(REPLICATION_FSYNC),
                settings.millis(REPLICATION_FSYNC_INTERVAL_MS),
                settings.millis(REPLICATION_REPLICA_LAG_MAX_MS),
                settings.bool(REPLICATION_UNCLEAN_ELECTION),
                settings.integer(REPLICATION_MAX_PENDING_WRITES),
                settings.integer(REPLICATION_MAX_BATCH_ENTRIES),
                settings.millis(REPLICATION_HEARTBEAT_INTERVAL_MS),
                settings.millis(REPLICATION_REQUEST_TIMEOUT_MS),
                settings.millis(REPLICATION_LEADER_BALANCE_DELAY_MS),
                settings.millis(REPLICATION_IDEMPOTENCY_WINDOW_MS),
                settings.integer(REPLICATION_IDEMPOTENCY_MAX_KEYS),
                settings.integer(REPLICATION_MAX_IN_FLIGHT_BATCHES),
                settings.compression(REPLICATION_COMPRESSION),
                settings.partitions(REPLICATION_HIGH_PRIORITY_PARTITIONS),
                settings.number(REPLICATION_LINK_WINDOW_BYTES));
    }

    /** The checks that need more than one key. Each key on its own has already been checked. */
    static void validate(SidecarConfig config) throws ConfigException {
        ListenAddress api = config.api().listen();
        ListenAddress peer = config.peer().listen();
        if (api.clashesWith(peer)) {
            throw new ConfigException(
                    PEER_LISTEN.path(),
                    "config key '" + PEER_LISTEN.path()
                            + "': expected an address other than " + API_LISTEN.path() + " (" + api + "), found '"
                            + peer
                            + "'; the local API and the peer API need a port each");
        }
        String advertisedHost = config.peer().advertise().getHost();
        if (ListenAddress.isWildcardHost(advertisedHost)) {
            throw new ConfigException(
                    PEER_ADVERTISE.path(),
                    "config key '" + PEER_ADVERTISE.path()
                            + "': expected a URL other members can reach, found '"
                            + config.peer().advertise()
                            + "' (a wildcard address); set it when " + PEER_LISTEN.path() + " binds every interface");
        }
        for (int partition : config.replication().highPriorityPartitions()) {
            if (partition >= config.partitions()) {
                throw new ConfigException(
                        REPLICATION_HIGH_PRIORITY_PARTITIONS.path(),
                        "config key '" + REPLICATION_HIGH_PRIORITY_PARTITIONS.path()
                                + "': expected partitions below " + PARTITIONS.path() + " (" + config.partitions()
                                + "), found " + partition);
            }
        }
        int minInSync = config.replication().minInSync();
        if (minInSync > MAX_MIN_IN_SYNC) {
            throw new ConfigException(
                    REPLICATION_MIN_IN_SYNC.path(),
                    "config key '" + REPLICATION_MIN_IN_SYNC.path()
                            + "': expected at most " + MAX_MIN_IN_SYNC + " (the most members a group may have), found '"
                            + minInSync + "'");
        }
    }
}
