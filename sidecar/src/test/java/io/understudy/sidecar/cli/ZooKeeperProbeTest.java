package io.understudy.sidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.testing.FreePorts;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The start-up check that some ZooKeeper server accepts connections, on loopback sockets. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ZooKeeperProbeTest {

    @Test
    void aListeningServerAmongDeadOnesIsEnough() throws Exception {
        int dead = FreePorts.next();
        try (ServerSocket server = new ServerSocket(FreePorts.next(), 50, InetAddress.getLoopbackAddress())) {
            String connect = "127.0.0.1:" + dead + ",127.0.0.1:" + server.getLocalPort() + "/chroot";

            assertEquals(Optional.empty(), ZooKeeperProbe.unreachable(connect, Duration.ofSeconds(5)));
        }
    }

    @Test
    void noListeningServerIsReportedAfterTheTimeoutNamingTheKeyAndTheCause() throws Exception {
        int dead = FreePorts.next();
        long start = System.nanoTime();

        Optional<String> failure = ZooKeeperProbe.unreachable("127.0.0.1:" + dead, Duration.ofMillis(500));

        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(failure.isPresent());
        assertTrue(
                failure.get().startsWith("cannot reach ZooKeeper at 127.0.0.1:" + dead + " within 500 ms"),
                failure.get());
        assertTrue(
                failure.get().contains("zookeeper.connect") && failure.get().contains("Connection refused"),
                failure.get());
        assertTrue(millis >= 450 && millis < 5_000, "gave up after " + millis + " ms");
    }

    @Test
    void anUnknownHostIsSaidSo() throws Exception {
        Optional<String> failure = ZooKeeperProbe.unreachable("no-such-host.invalid:2181", Duration.ofMillis(200));

        assertTrue(failure.orElseThrow().endsWith("no-such-host.invalid:2181: unknown host"), failure.get());
    }
}
