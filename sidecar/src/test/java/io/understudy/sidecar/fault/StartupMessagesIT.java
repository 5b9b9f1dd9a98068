package io.understudy.sidecar.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.understudy.sidecar.testing.FreePorts;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees when the agent cannot start: the built jar run as a real process, its whole output read.
 * Timings come from the agent's own log lines, not from the JVM start, which a loaded machine stretches.
 */
@Tag("fault")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class StartupMessagesIT {
    /** How long a process may take to start and end on a machine shared by several builds. */
    private static final Duration EXIT_PATIENCE = Duration.ofSeconds(90);

    /** Long enough that giving up after it differs clearly from giving up after three times it, as before. */
    private static final int CONNECTION_TIMEOUT_MS = 2000;

    @TempDir
    Path dir;

    private ChildProcess child;

    @AfterEach
    void stopChild() {
        if (child != null) child.close();
    }

    @Test
    void unreachableZooKeeperStopsStartWithOneClearLineWithinTheConnectionTimeout() throws IOException {
        int nobodyListens = FreePorts.next();
        Path config = config("127.0.0.1:" + nobodyListens, FreePorts.next(), FreePorts.next(), 1);

        List<String> output = runToExit(config, 1);

        String started = lineContaining(output, "starting");
        String failure = lineContaining(output, "cannot reach ZooKeeper");
        assertTrue(failure.contains("127.0.0.1:" + nobodyListens) && failure.contains("zookeeper.connect"), failure);
        long millis = Duration.between(time(started), time(failure)).toMillis();
        assertTrue(
                millis >= CONNECTION_TIMEOUT_MS - 50 && millis <= CONNECTION_TIMEOUT_MS + 2_500,
                "gave up " + millis + " ms after starting; expected about zookeeper.connectionTimeoutMs ("
                        + CONNECTION_TIMEOUT_MS + ")\n" + String.join("\n", output));
        assertEquals(
                List.of(lineContaining(output, "replication.minInSync is 1"), failure),
                warningsAndErrors(output),
                "the minInSync warning and the one clear line, nothing else\n" + String.join("\n", output));
    }

    @Test
    void busyApiPortStopsStartWithExitCode2NamingApiListen() throws Exception {
        int apiPort = FreePorts.next();
        try (TestingServer zookeeper = new TestingServer(true);
                ServerSocket busy = new ServerSocket(apiPort, 1, InetAddress.getLoopbackAddress())) {
            Path config = config(zookeeper.getConnectString(), apiPort, FreePorts.next(), 2);

            List<String> output = runToExit(config, 2);

            String failure = lineContaining(output, "already in use");
            assertTrue(failure.contains("api.listen") && failure.contains("127.0.0.1:" + apiPort), failure);
            assertFalse(failure.contains("peer.listen"), failure);
        }
    }

    @Test
    void busyPeerPortStopsStartWithExitCode2NamingPeerListen() throws Exception {
        int peerPort = FreePorts.next();
        try (TestingServer zookeeper = new TestingServer(true);
                ServerSocket busy = new ServerSocket(peerPort, 1, InetAddress.getLoopbackAddress())) {
            Path config = config(zookeeper.getConnectString(), FreePorts.next(), peerPort, 2);

            List<String> output = runToExit(config, 2);

            String failure = lineContaining(output, "already in use");
            assertTrue(failure.contains("peer.listen") && failure.contains("127.0.0.1:" + peerPort), failure);
        }
    }

    @Test
    void zookeeperCommandListensOnLoopbackOnlyByDefault() throws Exception {
        InetAddress external = externalAddress();
        int port = FreePorts.next();

        startZooKeeper(port);

        assertTrue(connects(InetAddress.getLoopbackAddress(), port), "clients on this machine reach it");
        assertFalse(connects(external, port), "nothing reaches it on " + external.getHostAddress());
    }

    @Test
    void zookeeperCommandListensWhereListenSays() throws Exception {
        InetAddress external = externalAddress();
        int port = FreePorts.next();

        startZooKeeper(port, "--listen", external.getHostAddress());

        assertTrue(connects(external, port), "clients reach it on " + external.getHostAddress());
        assertFalse(connects(InetAddress.getLoopbackAddress(), port), "it listens on that address only");
    }

    private void startZooKeeper(int port, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of(
                "zookeeper",
                "--port",
                Integer.toString(port),
                "--dir",
                dir.resolve("zk").toString()));
        args.addAll(List.of(more));
        child = new ChildProcess("zookeeper", args, dir.resolve("zookeeper.log"));
        child.start();
        long deadline = System.nanoTime() + EXIT_PATIENCE.toNanos();
        while (!Files.readString(child.logFile()).contains("ZooKeeper serving clients")) {
            assertTrue(child.isRunning(), "the zookeeper command ended:\n" + Files.readString(child.logFile()));
            assertTrue(System.nanoTime() < deadline, "the zookeeper command did not start");
            Thread.sleep(100); // polling the child's log file: it offers nothing to wait on
        }
    }

    private List<String> runToExit(Path config, int expectedExitCode) throws IOException {
        child = new ChildProcess("sidecar", List.of("run", "--config", config.toString()), dir.resolve("sidecar.log"));
        child.start();
        OptionalInt code = child.awaitExitCode(EXIT_PATIENCE);
        List<String> output = Files.readAllLines(child.logFile()).stream()
                .filter(line -> !line.startsWith("===="))
                .collect(Collectors.toList());
        String all = String.join("\n", output);
        assertTrue(code.isPresent(), "still running after " + EXIT_PATIENCE + ":\n" + all);
        assertEquals(expectedExitCode, code.getAsInt(), all);
        assertFalse(all.contains("\tat ") || all.contains("Exception"), "no stack trace, no exception name:\n" + all);
        return output;
    }

    private Path config(String zkConnect, int apiPort, int peerPort, int minInSync) throws IOException {
        Path config = dir.resolve("sidecar.yaml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "group: startup",
                        "member: node-1",
                        "zookeeper: { connect: \"" + zkConnect + "\", connectionTimeoutMs: " + CONNECTION_TIMEOUT_MS
                                + " }",
                        "api:  { listen: \"127.0.0.1:" + apiPort + "\" }",
                        "peer: { listen: \"127.0.0.1:" + peerPort + "\", token: \"t0ken\" }",
                        "dataDir: \"" + dir.resolve("data") + "\"",
                        "replication: { minInSync: " + minInSync + " }",
                        ""));
        return config;
    }

    private static String lineContaining(List<String> output, String text) {
        return output.stream()
                .filter(line -> line.contains(text))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + text + "' in:\n" + String.join("\n", output)));
    }

    private static List<String> warningsAndErrors(List<String> output) {
        return output.stream()
                .filter(line -> line.contains(" WARN ") || line.contains(" ERROR ") || !line.matches("^\\d\\d:.*"))
                .collect(Collectors.toList());
    }

    /** The time a log line starts with ({@code HH:mm:ss.SSS}). */
    private static LocalTime time(String line) {
        return LocalTime.parse(line.substring(0, 12));
    }

    private static InetAddress externalAddress() throws IOException {
        Optional<InetAddress> found = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(nic -> Collections.list(nic.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
        assumeTrue(found.isPresent(), "this machine has no address besides loopback");
        return found.get();
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
