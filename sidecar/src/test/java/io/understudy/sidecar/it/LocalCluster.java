package io.understudy.sidecar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.understudy.sidecar.FatalErrors;
import io.understudy.sidecar.Sidecar;
import io.understudy.sidecar.config.ConfigLoader;
import io.understudy.sidecar.log.ChannelForce;
import io.understudy.sidecar.testing.FreePorts;
import io.understudy.sidecar.testing.RecordingApp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.curator.test.TestingServer;

/**
 * Sidecars in this JVM on a real (in-process) ZooKeeper, each with a {@link RecordingApp}, on real sockets. Verbs,
 * not sleeps: {@code start}, {@code stop}, {@code restart}, {@code write}.
 */
final class LocalCluster implements AutoCloseable {
    /** Every member's {@code replication.replicaLagMaxMs}. */
    static final Duration REPLICA_LAG_MAX = Duration.ofMillis(5000);

    /**
     * Longer than the 10 s a member routes a write again while its partition has no leader taking writes, so that
     * a test sees the member's answer (503 NO_LEADER after that wait) rather than its own timeout.
     */
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(20);

    private final TestingServer zk;
    private final Path dir;
    private final String extraReplication;
    private final int partitions;
    private String appSettings = "";
    private String snapshotSettings = "";
    private boolean appsServeSnapshots;
    private final Map<Integer, Sidecar> sidecars = new HashMap<>();
    private final Map<Integer, RecordingApp> apps = new HashMap<>();
    private final Map<Integer, int[]> ports = new HashMap<>();
    private final Map<Integer, String> advertised = new HashMap<>();
    /** The kernel boot id every member sees: change it to simulate a reboot of the machine. */
    private volatile String bootId = "boot-1";

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    LocalCluster(Path dir, String extraReplication) throws Exception {
        this(dir, extraReplication, 1);
    }

    LocalCluster(Path dir, String extraReplication, int partitions) throws Exception {
        this.zk = new TestingServer(true);
        this.dir = dir;
        this.extraReplication = extraReplication;
        this.partitions = partitions;
    }

    /** Extra {@code app} keys for members started from now on, e.g. {@code ", positionCheckIntervalMs: 60000"}. */
    LocalCluster withAppSettings(String settings) {
        this.appSettings = settings;
        return this;
    }

    /**
     * Members started from now on take a snapshot every {@code intervalEntries} applied entries, and their apps serve
     * snapshots when {@code appsServe} (else they answer 404: no snapshot support).
     */
    LocalCluster withSnapshots(long intervalEntries, boolean appsServe) {
        this.snapshotSettings += "snapshot: { intervalEntries: " + intervalEntries + " }\n";
        this.appsServeSnapshots = appsServe;
        return this;
    }

    /** Further top-level configuration lines for members started from now on, e.g. {@code "log: {...}\n"}. */
    LocalCluster withTopLevel(String yaml) {
        this.snapshotSettings += yaml;
        return this;
    }

    /** The snapshot files ({@code *.meta}) a member keeps for {@code partition}, by name. */
    java.util.List<String> snapshotFiles(int member, int partition) throws IOException {
        Path snapshots =
                dir.resolve("node-" + member).resolve("partition-" + partition).resolve("snapshots");
        if (!Files.isDirectory(snapshots)) return java.util.List.of();
        try (var files = Files.list(snapshots)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".meta"))
                    .sorted()
                    .toList();
        }
    }

    void start(int member) throws Exception {
        start(member, ChannelForce.SYSTEM);
    }

    /** Reserves a member's ports before it starts: {@code [api, peer]}, e.g. to put a proxy before its peer port. */
    int[] ports(int member) {
        return ports.computeIfAbsent(member, m -> new int[] {FreePorts.next(), FreePorts.next()});
    }

    /** Members started from now on advertise {@code url} as their peer address (a proxy in front of the listener). */
    LocalCluster advertisePeer(int member, String url) {
        advertised.put(member, url);
        return this;
    }

    /** Starts a member whose logs are forced with {@code force} (a disk fault the test injects). */
    void start(int member, ChannelForce force) throws Exception {
        apps.computeIfAbsent(member, m -> {
            try {
                return new RecordingApp("node-" + m).serveSnapshots(appsServeSnapshots);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Sidecar sidecar = new Sidecar(
                ConfigLoader.parse(yaml(member), Map.of()),
                Clock.systemUTC(),
                FatalErrors.halting("node-" + member),
                force,
                () -> Optional.of(bootId));
        sidecar.start();
        sidecars.put(member, sidecar);
    }

    /** A member's configuration, as the sidecars of this cluster get it. */
    private String yaml(int member) {
        ports.computeIfAbsent(member, m -> new int[] {FreePorts.next(), FreePorts.next()});
        int[] p = ports.get(member);
        RecordingApp app = apps.get(member);
        return """
                group: it
                member: node-%d
                zookeeper: { connect: "%s", sessionTimeoutMs: 3000 }
                api: { listen: "127.0.0.1:%d" }
                peer: { listen: "127.0.0.1:%d", token: "test-token" %s }
                app: { url: "%s" %s }
                dataDir: "%s"
                partitions: %d
                replication: { %s%s %s }
                %s""".formatted(
                member,
                zk.getConnectString(),
                p[0],
                p[1],
                advertised.containsKey(member) ? ", advertise: \"" + advertised.get(member) + "\"" : "",
                app.url(),
                appSettings,
                dir.resolve("node-" + member),
                partitions,
                extraReplication.contains("minInSync") ? "" : "minInSync: 2, ", // extra may set its own
                // extra may set its own
                extraReplication.contains("replicaLagMaxMs") ? "" : "replicaLagMaxMs: " + REPLICA_LAG_MAX.toMillis(),
                extraReplication,
                snapshotSettings);
    }

    /** Writes a member's configuration to a file, for the commands that read one (e.g. {@code recover-zookeeper}). */
    Path configFile(int member) throws IOException {
        Path file = dir.resolve("node-" + member + ".yaml");
        Files.writeString(file, yaml(member));
        return file;
    }

    /** A member's data dir. */
    Path dataDir(int member) {
        return dir.resolve("node-" + member);
    }

    /** Starts members 1..n and waits until one leads with all of them in its ISR. */
    void startAll(int n, Duration deadline) throws Exception {
        for (int m = 1; m <= n; m++) start(m);
        awaitIsr(n, deadline);
    }

    /** Waits until every partition has a leader whose ISR has {@code size} members. */
    void awaitIsr(int size, Duration deadline) {
        org.awaitility.Awaitility.await().atMost(deadline).until(() -> {
            for (int p = 0; p < partitions; p++) {
                int leader = leader(p);
                if (leader < 0
                        || sidecar(leader).replicas().replica(p).status().isr().size() != size) return false;
            }
            return true;
        });
    }

    void stop(int member) {
        Sidecar sidecar = sidecars.remove(member);
        if (sidecar != null) sidecar.close();
    }

    /** Simulates a reboot of the machine between stopping and starting members: they see another boot id. */
    void reboot() {
        bootId = "boot-" + UUID.randomUUID();
    }

    /**
     * Removes a stopped member's clean-shutdown marker, so that its next start sees what a {@code kill -9} leaves:
     * a data directory that was not closed.
     */
    void forgetCleanShutdown(int member) throws IOException {
        Files.delete(dir.resolve("node-" + member).resolve("clean-shutdown"));
    }

    /** Stops the ZooKeeper server (every member loses its connection); {@link #restartZooKeeper} brings it back. */
    void stopZooKeeper() throws IOException {
        zk.stop();
    }

    void restartZooKeeper() throws Exception {
        zk.restart();
    }

    /** A member's local API, as an operator passes it to {@code --api}. */
    URI api(int member) {
        return URI.create("http://127.0.0.1:" + ports.get(member)[0]);
    }

    String zookeeperConnect() {
        return zk.getConnectString();
    }

    /** Expires a member's ZooKeeper session, as a long pause or a network partition would. */
    void expireSession(int member) throws Exception {
        org.apache.curator.test.KillSession.kill(
                sidecars.get(member).zookeeperClient().getZookeeperClient().getZooKeeper());
    }

    Sidecar sidecar(int member) {
        return sidecars.get(member);
    }

    RecordingApp app(int member) {
        return apps.get(member);
    }

    /** The member leading partition 0, or -1. */
    int leader() {
        return leader(0);
    }

    /** The member leading a partition, or -1. */
    int leader(int partition) {
        for (var e : sidecars.entrySet()) {
            if (e.getValue().replicas().replica(partition).isLeader()) return e.getKey();
        }
        return -1;
    }

    /** Writes k0..k{count-1} (values v0..) through {@code member}, each {@code sync} and each acknowledged (200). */
    void writeAcknowledged(int member, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            assertEquals(200, write(member, "k" + i, "v" + i, "sync").statusCode());
        }
    }

    /** Waits until the app of each member 1..n has applied at least {@code entries} entries of partition 0. */
    void awaitApplied(int n, int entries, Duration deadline) {
        for (int m = 1; m <= n; m++) {
            int member = m;
            org.awaitility.Awaitility.await()
                    .atMost(deadline)
                    .until(() -> app(member).applied(0).size() >= entries);
        }
    }

    /** POSTs a write to a member's local API; answers status and body. */
    HttpResponse<String> write(int member, String key, String body, String durability) throws Exception {
        return write(member, key, body, durability, null);
    }

    /** POSTs a write with an {@code Idempotency-Key} header (none when {@code idempotencyKey} is null). */
    HttpResponse<String> write(int member, String key, String body, String durability, String idempotencyKey)
            throws Exception {
        URI uri = URI.create(
                "http://127.0.0.1:" + ports.get(member)[0] + "/v1/entries?key=" + key + "&durability=" + durability);
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(WRITE_TIMEOUT).POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) request.header("Idempotency-Key", idempotencyKey);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs {@code body} to any path of a member's local API. */
    HttpResponse<String> post(int member, String pathAndQuery, byte[] body) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + ports.get(member)[0] + pathAndQuery);
        return http.send(
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(int member, String pathAndQuery) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + ports.get(member)[0] + pathAndQuery);
        return http.send(
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(int member, String pathAndQuery) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri(member, pathAndQuery))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The address of a path on a member's local API (for clients other than this class, e.g. a browser). */
    URI uri(int member, String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + ports.get(member)[0] + pathAndQuery);
    }

    @Override
    public void close() throws IOException {
        sidecars.keySet().stream().toList().forEach(this::stop);
        apps.values().forEach(RecordingApp::close);
        zk.close();
    }
}
