package io.understudy.sidecar.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The delaying and throttling proxy (scripts/netproxy.py) over real sockets: bytes arrive intact, and the delay
 * and the cap are applied at least (only lower bounds are checked: a loaded machine may always be slower).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetProxyIT {
    /** Echoes every byte of every connection back, until the peer closes. */
    private static ServerSocket echoServer() throws IOException {
        ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread echo = new Thread(() -> {
                        try (socket;
                                InputStream in = socket.getInputStream();
                                OutputStream out = socket.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException e) {
                            // the test closed its end: this connection is over
                        }
                    });
                    echo.setDaemon(true);
                    echo.start();
                } catch (IOException e) {
                    return; // the server was closed at the end of the test
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    private static byte[] roundTrip(int proxyPort, byte[] sent) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxyPort)) {
            Thread writer = new Thread(() -> {
                try {
                    socket.getOutputStream().write(sent);
                    socket.getOutputStream().flush();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            writer.start();
            byte[] received = new byte[sent.length];
            new DataInputStream(socket.getInputStream()).readFully(received);
            return received;
        }
    }

    @Test
    void bytesArriveIntactInBothDirections() throws Exception {
        byte[] sent = new byte[3 << 20];
        new Random(7).nextBytes(sent);
        try (ServerSocket echo = echoServer();
                NetProxy proxy = NetProxy.start(echo.getLocalPort(), 5, 0)) {
            assertArrayEquals(sent, roundTrip(proxy.port(), sent));
        }
    }

    @Test
    void eachDirectionIsDelayedAtLeastTheGivenTime() throws Exception {
        try (ServerSocket echo = echoServer();
                NetProxy proxy = NetProxy.start(echo.getLocalPort(), 150, 0)) {
            long start = System.nanoTime();
            assertArrayEquals(new byte[] {1, 2, 3}, roundTrip(proxy.port(), new byte[] {1, 2, 3}));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis >= 300, "a round trip through two 150 ms one-way delays took only " + millis + " ms");
        }
    }

    @Test
    void throughputStaysUnderTheCap() throws Exception {
        byte[] sent = new byte[300_000];
        new Random(8).nextBytes(sent);
        try (ServerSocket echo = echoServer();
                NetProxy proxy = NetProxy.start(echo.getLocalPort(), 0, 200_000)) {
            long start = System.nanoTime();
            assertArrayEquals(sent, roundTrip(proxy.port(), sent));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // 300,000 bytes at 200,000 bytes/s take 1.5 s each way; the two directions overlap, so at least 1.5 s.
            assertTrue(millis >= 1_200, "300 kB through a 200 kB/s cap took only " + millis + " ms");
        }
    }
}
