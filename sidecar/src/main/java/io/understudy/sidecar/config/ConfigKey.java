package io.understudy.sidecar.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every config key, beside its kind, its limits and its default: the one table the loader, the environment
 * variable names, the unknown-key check and the README all come from.
 *
 * <p>A key's environment variable is derived from its path: {@code UNDERSTUDY_}, then the path with each
 * camelCase word and each dot turned into {@code _}, upper-cased ({@code replication.minInSync} is
 * {@code UNDERSTUDY_REPLICATION_MIN_IN_SYNC}).
 */
public enum ConfigKey {
    GROUP("group", Kind.ID, Default.required()),
    MEMBER("member", Kind.ID, Default.required()),

    ZOOKEEPER_CONNECT("zookeeper.connect", Kind.TEXT, Default.required()),
    ZOOKEEPER_SESSION_TIMEOUT_MS("zookeeper.sessionTimeoutMs", Kind.MILLIS, 500, Default.of("4000")),
    ZOOKEEPER_CONNECTION_TIMEOUT_MS("zookeeper.connectionTimeoutMs", Kind.MILLIS, 100, Default.of("3000")),
    ZOOKEEPER_HEARTBEAT_INTERVAL_MS("zookeeper.heartbeatIntervalMs", Kind.MILLIS, 10, Default.of("1000")),

    API_LISTEN("api.listen", Kind.LISTEN, Default.of("127.0.0.1:7001")),
    // Bounded so that one body cannot take a large share of the heap; bodies in memory share a budget too.
    API_MAX_BODY_BYTES("api.maxBodyBytes", Kind.NUMBER, 1, 64L << 20, Default.of("1048576")),

    PEER_LISTEN("peer.listen", Kind.LISTEN, Default.required()),
    PEER_ADVERTISE("peer.advertise", Kind.HTTP_URL, Default.derived("http://<peer.listen>")),
    PEER_TOKEN("peer.token", Kind.TEXT, Default.required()),

    APP_URL("app.url", Kind.HTTP_URL, Default.optional("no delivery")),
    APP_BATCH_ENTRIES("app.batchEntries", Kind.NUMBER, 1, 65536, Default.of("256")),
    APP_REQUEST_TIMEOUT_MS("app.requestTimeoutMs", Kind.MILLIS, 1, Default.of("5000")),
    APP_RETRY_BACKOFF_MS("app.retryBackoffMs", Kind.MILLIS, 1, Default.of("500")),
    APP_POSITION_CHECK_INTERVAL_MS("app.positionCheckIntervalMs", Kind.MILLIS, 10, Default.of("1000")),

    DATA_DIR("dataDir", Kind.PATH, Default.required()),
    PARTITIONS("partitions", Kind.NUMBER, 1, 1024, Default.of("1")),

    REPLICATION_MIN_IN_SYNC("replication.minInSync", Kind.NUMBER, 1, Default.of("2")),
    REPLICATION_DEFAULT_DURABILITY("replication.defaultDurability", Kind.DURABILITY, Default.of("sync")),
    REPLICATION_FSYNC("replication.fsync", Kind.FSYNC, Default.of("always")),
    REPLICATION_FSYNC_INTERVAL_MS("replication.fsyncIntervalMs", Kind.MILLIS, 1, Default.of("100")),
    REPLICATION_REPLICA_LAG_MAX_MS("replication.replicaLagMaxMs", Kind.MILLIS, 1, Default.of("10000")),
    REPLICATION_UNCLEAN_ELECTION("replication.uncleanElection", Kind.BOOLEAN, Default.of("false")),
    REPLICATION_MAX_PENDING_WRITES("replication.maxPendingWrites", Kind.NUMBER, 1, 1_000_000, Default.of("4096")),
    REPLICATION_MAX_BATCH_ENTRIES("replication.maxBatchEntries", Kind.NUMBER, 1, 65536, Default.of("1024")),
    REPLICATION_HEARTBEAT_INTERVAL_MS("replication.heartbeatIntervalMs", Kind.MILLIS, 1, Default.of("200")),
    REPLICATION_REQUEST_TIMEOUT_MS("replication.requestTimeoutMs", Kind.MILLIS, 1, Default.of("2000")),
    REPLICATION_LEADER_BALANCE_DELAY_MS("replication.leaderBalanceDelayMs", Kind.MILLIS, 0, Default.of("10000")),
    REPLICATION_IDEMPOTENCY_WINDOW_MS("replication.idempotencyWindowMs", Kind.MILLIS, 1, Default.of("600000")),
    REPLICATION_IDEMPOTENCY_MAX_KEYS(
            "replication.idempotencyMaxKeys", Kind.NUMBER, 1, 10_000_000, Default.of("100000")),
    REPLICATION_MAX_IN_FLIGHT_BATCHES("replication.maxInFlightBatches", Kind.NUMBER, 1, 256, Default.of("4")),
    // Off by default: on loopback it costs CPU and saves nothing (docs/benchmarks.md has the figures).
    REPLICATION_COMPRESSION("replication.compression", Kind.COMPRESSION, Default.of("none")),
    REPLICATION_HIGH_PRIORITY_PARTITIONS(
            "replication.highPriorityPartitions", Kind.PARTITION_LIST, Default.optional("every partition normal")),
    // Only used with high-priority partitions: about one batch, so that a waiting high-priority batch is next.
    REPLICATION_LINK_WINDOW_BYTES("replication.linkWindowBytes", Kind.NUMBER, 1024, 1L << 30, Default.of("262144")),

    // The log of each partition (docs/design.md section 5): segment size, and what retention keeps.
    LOG_SEGMENT_BYTES("log.segmentBytes", Kind.NUMBER, 4096, 1L << 30, Default.of("67108864")),
    LOG_RETAIN_BYTES("log.retainBytes", Kind.NUMBER, 0, Long.MAX_VALUE, Default.of("1073741824")),
    LOG_RETAIN_MS("log.retainMs", Kind.MILLIS, 0, Long.MAX_VALUE, Default.of("604800000")),
    // Asked of an app that serves GET /understudy/snapshot (DELIVERY.md); the log is trimmed below the newest one.
    SNAPSHOT_INTERVAL_ENTRIES("snapshot.intervalEntries", Kind.NUMBER, 1, Default.of("100000"));

    /** The prefix of every key's environment variable. */
    static final String ENV_PREFIX = "UNDERSTUDY_";

    private static final Map<String, ConfigKey> BY_PATH =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(ConfigKey::path, Function.identity()));

    private static final Set<String> SECTIONS = Arrays.stream(values())
            .map(ConfigKey::path)
            .filter(path -> path.contains("."))
            .map(path -> path.substring(0, path.lastIndexOf('.')))
            .collect(Collectors.toUnmodifiableSet());

    private final String path;
    private final Kind kind;
    private final long min;
    private final long max;
    private final Default fallback;
    private final String envName;

    ConfigKey(String path, Kind kind, Default fallback) {
        this(path, kind, 0, Integer.MAX_VALUE, fallback);
    }

    ConfigKey(String path, Kind kind, long min, Default fallback) {
        this(path, kind, min, Integer.MAX_VALUE, fallback);
    }

    ConfigKey(String path, Kind kind, long min, long max, Default fallback) {
        this.path = path;
        this.kind = kind;
        this.min = min;
        this.max = max;
        this.fallback = fallback;
        this.envName = ENV_PREFIX
                + path.replace(".", "_")
                        .replaceAll("([a-z0-9])([A-Z])", "$1_$2")
                        .toUpperCase(Locale.ROOT);
    }

    /** The dotted path as written in the file: {@code replication.minInSync}. */
    public String path() {
        return path;
    }

    /** The environment variable that overrides the file: {@code UNDERSTUDY_REPLICATION_MIN_IN_SYNC}. */
    String envName() {
        return envName;
    }

    Kind kind() {
        return kind;
    }

    /** Smallest value allowed for numbers and durations. */
    long min() {
        return min;
    }

    /** Largest value allowed for numbers and durations ({@code Integer.MAX_VALUE} when only the minimum matters). */
    long max() {
        return max;
    }

    Default fallback() {
        return fallback;
    }

    /** What a good value looks like, for error messages: {@code a whole number >= 1}. */
    String expectation() {
        String range = max == Integer.MAX_VALUE || max == Long.MAX_VALUE ? " >= " + min : " from " + min + " to " + max;
        return switch (kind) {
            case ID -> "an id of 1 to 64 letters, digits, '.', '_' or '-' starting with a letter or digit";
            case TEXT -> "a non-empty string";
            case LISTEN -> "an address host:port with a port from 0 to 65535";
            case HTTP_URL -> "an absolute http:// or https:// URL";
            case PATH -> "a file system path";
            case NUMBER -> "a whole number" + range;
            case MILLIS -> "a whole number of milliseconds" + range;
            case BOOLEAN -> "true or false";
            case DURABILITY -> "one of " + EnumNames.choices(Durability.class);
            case FSYNC -> "one of " + EnumNames.choices(Fsync.class);
            case COMPRESSION -> "one of " + EnumNames.choices(Compression.class);
            case PARTITION_LIST -> "a list of partition numbers, e.g. [0, 2] or \"0,2\"";
        };
    }

    static Optional<ConfigKey> byPath(String path) {
        return Optional.ofNullable(BY_PATH.get(path));
    }

    /** True when {@code path} names a group of keys ({@code replication}) rather than a key. */
    static boolean isSection(String path) {
        return SECTIONS.contains(path);
    }

    static Set<String> sections() {
        return SECTIONS;
    }

    /** The markdown table of every key, its environment variable and its default, for the README. */
    static String markdownTable() {
        StringBuilder table = new StringBuilder("| key | environment variable | default | expected |\n");
        table.append("| --- | --- | --- | --- |\n");
        for (ConfigKey key : values()) {
            table.append("| `")
                    .append(key.path)
                    .append("` | `")
                    .append(key.envName)
                    .append("` | ")
                    .append(key.fallback.describe())
                    .append(" | ")
                    .append(key.expectation())
                    .append(" |\n");
        }
        return table.toString();
    }

    /** The type of a key's value; it decides how the text is read and what the error message expects. */
    enum Kind {
        ID,
        TEXT,
        LISTEN,
        HTTP_URL,
        PATH,
        NUMBER,
        MILLIS,
        BOOLEAN,
        DURABILITY,
        FSYNC,
        COMPRESSION,
        PARTITION_LIST
    }

    /** What happens when a key is set neither in the file nor in the environment. */
    record Default(Presence presence, String text) {
        enum Presence {
            /** Start-up stops. */
            REQUIRED,
            /** The value is absent; {@code text} says what that means. */
            OPTIONAL,
            /** {@code text} is the value, read like a value from the file. */
            VALUE,
            /** The loader computes it from other keys; {@code text} says how. */
            DERIVED
        }

        static Default required() {
            return new Default(Presence.REQUIRED, "");
        }

        static Default optional(String meaning) {
            return new Default(Presence.OPTIONAL, meaning);
        }

        static Default of(String value) {
            return new Default(Presence.VALUE, value);
        }

        static Default derived(String how) {
            return new Default(Presence.DERIVED, how);
        }

        String describe() {
            return switch (presence) {
                case REQUIRED -> "required";
                case OPTIONAL -> "absent: " + text;
                case VALUE -> "`" + text + "`";
                case DERIVED -> "`" + text + "`";
            };
        }
    }
}
