package io.understudy.demo;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/** The app's HTTP server: the one route table, on Undertow. Start it once; close it once. */
public final class DemoServer implements AutoCloseable {
    static final long MAX_BODY_BYTES = 8L * 1024 * 1024;

    private enum State {
        LATENT,
        STARTED,
        CLOSED
    }

    private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
    private final Undertow undertow;

    public DemoServer(String host, int port, CatalogHandlers catalog, DeliveryHandlers delivery, Json json) {
        this.undertow = Undertow.builder()
                .addHttpListener(port, host)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, MAX_BODY_BYTES)
                .setHandler(routes(catalog, delivery, json))
                .build();
    }

    /** Every route of the app, in one table. */
    static HttpHandler routes(CatalogHandlers catalog, DeliveryHandlers delivery, Json json) {
        RoutingHandler routes = new RoutingHandler()
                .get("/", endpoint(catalog::index, json))
                .get("/health", endpoint(catalog::health, json))
                .get("/items", endpoint(catalog::getItems, json))
                .get("/items/{id}", endpoint(catalog::getItem, json))
                .put("/items/{id}", endpoint(catalog::putItem, json))
                .post("/understudy/apply", endpoint(delivery::apply, json))
                .post("/understudy/role", endpoint(delivery::role, json))
                .get("/understudy/position", endpoint(delivery::position, json))
                .get("/understudy/snapshot", endpoint(delivery::snapshot, json))
                .put("/understudy/snapshot", endpoint(delivery::installSnapshot, json))
                .get("/understudy/status", endpoint(delivery::status, json));
        routes.setFallbackHandler(endpoint(
                exchange -> CompletableFuture.completedFuture(
                        json.error(404, "no endpoint at " + exchange.getRequestPath() + "; GET / lists the endpoints")),
                json));
        routes.setInvalidMethodHandler(endpoint(
                exchange -> CompletableFuture.completedFuture(json.error(
                        405,
                        exchange.getRequestMethod() + " is not allowed on " + exchange.getRequestPath()
                                + "; GET / lists the endpoints")),
                json));
        return routes;
    }

    private static HttpHandler endpoint(Endpoint endpoint, Json json) {
        return new EndpointHandler(endpoint, json);
    }

    public void start() {
        if (!state.compareAndSet(State.LATENT, State.STARTED)) {
            throw new IllegalStateException("the server can be started once, it is " + state.get());
        }
        undertow.start();
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        if (state.get() != State.STARTED) {
            throw new IllegalStateException("the server is not running");
        }
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) == State.STARTED) {
            undertow.stop();
        }
    }
}
