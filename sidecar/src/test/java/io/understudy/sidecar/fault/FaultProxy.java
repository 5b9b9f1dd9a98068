package io.understudy.sidecar.fault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in the test JVM in front of one member's peer listener; the member advertises the proxy, so every
 * peer request to that member (appends from its leader, forwards to it) passes here. {@link #cut()} closes the
 * open connections and black-holes new ones (accepted, read, never answered: the sender sees time-outs, as on a
 * real network partition); {@link #heal()} lets traffic through again. ZooKeeper traffic does not pass here, so a
 * cut member still keeps its session.
 */
final class FaultProxy implements AutoCloseable {
    private final int target;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile boolean closed;

    FaultProxy(int listenPort, int targetPort) throws IOException {
        this.target = targetPort;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort), 64);
        Thread acceptor = new Thread(this::acceptLoop, "proxy-" + listenPort);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    boolean isCut() {
        return cut;
    }

    void cut() {
        cut = true;
        closeOpen();
    }

    void heal() {
        if (!cut) return;
        cut = false;
        closeOpen(); // the black-holed connections: their senders have given up on them anyway
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) return;
                continue;
            }
            open.add(client);
            if (cut) blackhole(client);
            else forward(client);
        }
    }

    private void blackhole(Socket client) {
        daemon("proxy-blackhole", () -> {
            try (client;
                    InputStream in = client.getInputStream()) {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // closed by heal() or by the sender giving up: both are the expected end
            } finally {
                open.remove(client);
            }
        });
    }

    private void forward(Socket client) {
        Socket upstream = new Socket();
        try {
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 1000);
        } catch (IOException e) {
            // The member is down. Without the proxy the sender would see a refused connection; here it has been
            // accepted already, so it sees the connection close before any answer (an IOException, not a
            // ConnectException). The sidecar maps both to the same 503, so the difference does not show.
            closeQuietly(client);
            closeQuietly(upstream);
            open.remove(client);
            return;
        }
        open.add(upstream);
        daemon("proxy-up", () -> pump(client, upstream));
        daemon("proxy-down", () -> pump(upstream, client));
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (cut) break;
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (SocketException ignored) {
            // one side closed or cut() closed both: the pair ends below
        } catch (IOException ignored) {
            // the same, reported differently by the JDK
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private void closeOpen() {
        for (Socket socket : open) closeQuietly(socket);
        open.clear();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing more to do for a socket we are throwing away
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing a listener we own; nothing to report
        }
        closeOpen();
    }
}
