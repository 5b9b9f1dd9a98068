package io.understudy.sidecar.fault;

import static org.awaitility.Awaitility.await;

import io.understudy.sidecar.testing.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Three ZooKeeper servers as child processes (the jar's {@code zookeeper} command) on free loopback ports. */
final class ZkEnsemble implements AutoCloseable {
    private final List<ChildProcess> servers = new ArrayList<>();
    private final List<Integer> clientPorts = new ArrayList<>();

    ZkEnsemble(int size, Path workDir, Path logDir) {
        List<String> quorum = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            clientPorts.add(FreePorts.next());
            quorum.add("127.0.0.1:" + FreePorts.next() + ":" + FreePorts.next());
        }
        for (int i = 0; i < size; i++) {
            int id = i + 1;
            List<String> args = new ArrayList<>(List.of(
                    "zookeeper",
                    "--port",
                    clientPorts.get(i).toString(),
                    "--dir",
                    workDir.resolve("zk-" + id).toString(),
                    "--tick-ms",
                    "500"));
            if (size > 1) args.addAll(List.of("--id", Integer.toString(id), "--servers", String.join(",", quorum)));
            servers.add(new ChildProcess("zk-" + id, args, logDir.resolve("zk-" + id + ".log")));
        }
    }

    void start() {
        servers.forEach(ChildProcess::start);
        awaitServing(servers.size());
    }

    /** The client connect string naming every server. */
    String connect() {
        return clientPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    int size() {
        return servers.size();
    }

    /** Stops server {@code n} (1-based) with SIGTERM. */
    void stop(int n) {
        servers.get(n - 1).stop(Duration.ofSeconds(15));
    }

    void start(int n) {
        servers.get(n - 1).start();
    }

    boolean isRunning(int n) {
        return servers.get(n - 1).isRunning();
    }

    /** Starts every stopped server and waits until all of them serve clients again. */
    void heal() {
        for (int n = 1; n <= servers.size(); n++) if (!isRunning(n)) start(n);
        awaitServing(servers.size());
    }

    /** Waits until {@code count} servers answer {@code srvr} with a mode (they are in a working quorum). */
    void awaitServing(int count) {
        await("ZooKeeper: " + count + " servers serving")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> serving() >= count);
    }

    private int serving() {
        int n = 0;
        for (int port : clientPorts) if (fourLetter(port, "srvr").contains("Mode:")) n++;
        return n;
    }

    static String fourLetter(int port, String word) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write(word.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }

    List<Path> logs() {
        return servers.stream().map(ChildProcess::logFile).toList();
    }

    @Override
    public void close() {
        servers.forEach(ChildProcess::close);
    }
}
