package io.understudy.demo;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo app's composition root: builds and wires the parts, {@link #start()}, {@link #close()}.
 * Also the command-line entry point.
 */
public final class DemoApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DemoApp.class);

    static final Duration SIDECAR_TIMEOUT = Duration.ofSeconds(15);
    static final Duration SIDECAR_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final DemoOptions options;
    private final CatalogStore store;
    private final DemoServer server;

    public DemoApp(DemoOptions options) {
        this(options, SIDECAR_TIMEOUT);
    }

    /** As {@link #DemoApp(DemoOptions)}, with another limit on each sidecar call (for tests). */
    DemoApp(DemoOptions options, Duration sidecarTimeout) {
        this.options = options;
        Json json = new Json();
        this.store = new CatalogStore();
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(SIDECAR_CONNECT_TIMEOUT)
                .build();
        SidecarClient sidecar = new SidecarClient(http, options.sidecar(), sidecarTimeout);
        this.server = new DemoServer(
                options.host(),
                options.port(),
                new CatalogHandlers(store, sidecar, json),
                new DeliveryHandlers(store, new RoleBoard(), json),
                json);
    }

    public DemoApp start() {
        server.start();
        log.info(
                "demo app listening on http://{}:{}, writing through sidecar {}",
                options.host(),
                server.port(),
                options.sidecar());
        return this;
    }

    public int port() {
        return server.port();
    }

    CatalogStore store() {
        return store;
    }

    @Override
    public void close() {
        server.close();
    }

    public static void main(String[] args) {
        Optional<DemoOptions> options;
        try {
            options = DemoOptions.parse(args);
        } catch (DemoOptions.UsageException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("Run with --help for usage.");
            System.exit(2);
            return;
        }
        if (options.isEmpty()) {
            System.out.print(DemoOptions.USAGE);
            return;
        }
        DemoApp app = new DemoApp(options.get());
        try {
            app.start();
        } catch (RuntimeException e) {
            System.err.println("error: cannot listen on " + options.get().host() + ":"
                    + options.get().port() + ": " + (e.getCause() != null ? e.getCause() : e));
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "demo-app-shutdown"));
    }
}
