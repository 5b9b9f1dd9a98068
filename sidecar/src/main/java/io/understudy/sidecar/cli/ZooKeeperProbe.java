package io.understudy.sidecar.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.zookeeper.client.ConnectStringParser;

/**
 * Checks, before the ZooKeeper client starts, that some server of the connect string accepts a connection. An
 * unreachable ensemble is then one clear line after {@code zookeeper.connectionTimeoutMs}, instead of the client's
 * reconnect attempts, each logged with a stack trace, for several times that long.
 */
final class ZooKeeperProbe {
    private static final Duration RETRY = Duration.ofMillis(100);
    private static final Duration MAX_CONNECT = Duration.ofSeconds(1);
    private static final String NO_ANSWER = "no answer";

    private ZooKeeperProbe() {}

    /**
     * Tries every server of {@code connect} until one accepts a TCP connection or {@code timeout} has passed.
     *
     * @return empty when a server answered, otherwise what went wrong, for the operator
     */
    static Optional<String> unreachable(String connect, Duration timeout) throws InterruptedException {
        List<InetSocketAddress> servers = new ConnectStringParser(connect).getServerAddresses();
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastError = null;
        for (long left = timeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            for (InetSocketAddress server : servers) {
                Optional<String> error = connectOnce(server, Duration.ofNanos(deadline - System.nanoTime()));
                if (error.isEmpty()) return Optional.empty();
                // A definite cause (refused, unknown host) says more than an attempt the deadline cut short.
                if (lastError == null || !error.get().equals(NO_ANSWER)) {
                    lastError = server.getHostString() + ":" + server.getPort() + ": " + error.get();
                }
            }
            Thread.sleep(Math.max(0, Math.min(RETRY.toMillis(), (deadline - System.nanoTime()) / 1_000_000)));
        }
        return Optional.of("cannot reach ZooKeeper at " + connect + " within " + timeout.toMillis()
                + " ms (zookeeper.connect, zookeeper.connectionTimeoutMs): "
                + (lastError == null ? "no server in the connect string" : lastError));
    }

    private static Optional<String> connectOnce(InetSocketAddress server, Duration left) {
        InetSocketAddress resolved = new InetSocketAddress(server.getHostString(), server.getPort());
        if (resolved.isUnresolved()) return Optional.of("unknown host");
        long millis = Math.max(1, Math.min(left.toMillis(), MAX_CONNECT.toMillis()));
        try (Socket socket = new Socket()) {
            socket.connect(resolved, (int) millis);
            return Optional.empty();
        } catch (SocketTimeoutException e) {
            return Optional.of(NO_ANSWER);
        } catch (IOException e) {
            return Optional.of(e.getMessage() == null ? NO_ANSWER : e.getMessage());
        }
    }
}
