package io.understudy.sidecar.api;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route table of both listeners: the local API (for the host app) and the peer API (for other members).
 * Handlers come in complete; this class only wires paths to them and maps stray exceptions to JSON errors.
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

    /** Handlers of the local API. */
    public record LocalHandlers(
            HttpHandler entries,
            HttpHandler entriesBatch,
            HttpHandler status,
            HttpHandler statusPage,
            HttpHandler await,
            HttpHandler health,
            HttpHandler ready,
            HttpHandler leaderProbe,
            HttpHandler replicaProbe,
            HttpHandler metrics,
            HttpHandler redeliver,
            HttpHandler events,
            HttpHandler switchover,
            HttpHandler pause,
            HttpHandler resume,
            HttpHandler removeMember,
            HttpHandler addMember,
            HttpHandler backupOffer,
            HttpHandler backupSnapshot,
            HttpHandler backupRecords) {}

    /** Handlers of the peer API (the token check wraps them all). */
    public record PeerHandlers(
            HttpHandler append,
            HttpHandler forward,
            HttpHandler forwardBatch,
            HttpHandler health,
            HttpHandler switchover,
            HttpHandler snapshot) {}

    private final Undertow local;
    private final Undertow peer;
    private final String localAddress;
    private final String peerAddress;

    public HttpApi(
            String localHost,
            int localPort,
            LocalHandlers l,
            String peerHost,
            int peerPort,
            PeerHandlers p,
            java.util.function.UnaryOperator<HttpHandler> peerGuard,
            Responses responses) {
        RoutingHandler localRoutes = new RoutingHandler()
                .post("/v1/entries", l.entries())
                .post("/v1/entries/batch", l.entriesBatch())
                .get("/v1/status", l.status())
                .get("/v1/wait", l.await())
                .post("/v1/redeliver", l.redeliver())
                .post("/v1/switchover", l.switchover())
                .post("/v1/pause", l.pause())
                .post("/v1/resume", l.resume())
                .post("/v1/members/remove", l.removeMember())
                .post("/v1/members/add", l.addMember())
                .get("/v1/health", l.health())
                .get("/v1/ready", l.ready())
                .get("/v1/leader", l.leaderProbe())
                .get("/v1/replica", l.replicaProbe())
                .get("/v1/events", l.events())
                .get("/v1/backup", l.backupOffer())
                .get("/v1/backup/snapshot", l.backupSnapshot())
                .get("/v1/backup/records", l.backupRecords())
                .get("/metrics", l.metrics())
                .get("/", l.statusPage())
                .setFallbackHandler(notFound(responses))
                .setInvalidMethodHandler(badMethod(responses));
        RoutingHandler peerRoutes = new RoutingHandler()
                .post("/peer/v1/append", p.append())
                .post("/peer/v1/forward", p.forward())
                .post("/peer/v1/forward-batch", p.forwardBatch())
                .get("/peer/v1/health", p.health())
                .post("/peer/v1/switchover", p.switchover())
                .get("/peer/v1/snapshot", p.snapshot())
                .setFallbackHandler(notFound(responses))
                .setInvalidMethodHandler(badMethod(responses));
        this.localAddress = localHost + ":" + localPort;
        this.peerAddress = peerHost + ":" + peerPort;
        this.local = server(localHost, localPort, guarded(localRoutes, responses));
        this.peer = server(peerHost, peerPort, guarded(peerGuard.apply(peerRoutes), responses));
    }

    /** The two listeners, for errors that must say which one failed. */
    public enum Listener {
        LOCAL,
        PEER
    }

    /**
     * Starts both listeners.
     *
     * @throws ListenerBindException when either address cannot be bound (another process holds it); neither runs
     */
    public void start() throws ListenerBindException {
        start(local, Listener.LOCAL, localAddress);
        try {
            start(peer, Listener.PEER, peerAddress);
        } catch (ListenerBindException e) {
            local.stop();
            throw e;
        }
        log.info("local API on {}, peer API on {}", address(local), address(peer));
    }

    private static void start(Undertow server, Listener listener, String address) throws ListenerBindException {
        try {
            server.start();
        } catch (RuntimeException e) {
            if (e.getCause() instanceof java.net.BindException bind) {
                throw new ListenerBindException(listener, address, bind);
            }
            throw e;
        }
    }

    public int localPort() {
        return address(local).getPort();
    }

    public int peerPort() {
        return address(peer).getPort();
    }

    private static InetSocketAddress address(Undertow server) {
        return (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
    }

    private static Undertow server(String host, int port, HttpHandler handler) {
        return Undertow.builder()
                .addHttpListener(port, host)
                .setIoThreads(2)
                .setWorkerThreads(16)
                .setHandler(handler)
                .build();
    }

    /** Turns exceptions a handler throws before answering (bad parameters) into JSON errors. */
    private static HttpHandler guarded(HttpHandler next, Responses responses) {
        return exchange -> {
            try {
                next.handleRequest(exchange);
            } catch (Exception | Error e) { // an Error stops the member (ErrorMapper), never a bare 500
                if (!exchange.isResponseStarted()) responses.sendError(exchange, e);
                else log.warn("failure after the response started: {}", e.toString());
            }
        };
    }

    private static HttpHandler notFound(Responses responses) {
        return (HttpServerExchange exchange) -> responses.sendError(
                exchange,
                new StatusException(
                        ErrorCode.NOT_FOUND,
                        "no such endpoint: " + exchange.getRequestMethod() + " " + exchange.getRequestPath()));
    }

    private static HttpHandler badMethod(Responses responses) {
        return (HttpServerExchange exchange) -> responses.sendError(
                exchange,
                new StatusException(
                        ErrorCode.METHOD_NOT_ALLOWED,
                        exchange.getRequestMethod() + " is not allowed on " + exchange.getRequestPath()));
    }

    @Override
    public void close() {
        peer.stop();
        local.stop();
    }
}
