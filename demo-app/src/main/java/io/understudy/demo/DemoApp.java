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
    private final SidecarClient sidecar;

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
        this.sidecar = new SidecarClient(http, options.sidecar(), sidecarTimeout);
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
        askForRedelivery();
        return this;
    }

    /**
     * This app starts with empty memory: it asks its sidecar to deliver everything again at once, rather than wait
     * for the sidecar's next position check (DELIVERY.md). A sidecar not up yet notices on its own.
     */
    private void askForRedelivery() {
        sidecar.redeliver().whenComplete((answer, error) -> {
            if (error != null) {
                log.info(
                        "cannot ask sidecar {} for redelivery ({}); it will notice on its own",
                        options.sidecar(),
                        error.toString());
            } else if (answer.status() != 200) {
                log.warn("sidecar {} answered {} to POST /v1/redeliver", options.sidecar(), answer.status());
            } else {
                log.info(
                        "asked sidecar {} for redelivery: {}",
                        options.sidecar(),
                        new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8));
            }
        });
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
        if (java.util.List.of(args).contains("--version")) {
            System.out.println(BuildInfo.current().describe("understudy-demo-app"));
            return;
        }
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
