package io.understudy.demo;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;

/** The demo app's command line, parsed by hand. */
public record DemoOptions(String host, int port, URI sidecar) {

    public static final String USAGE = String.join(
            System.lineSeparator(),
            "Usage: java -jar understudy-demo-app.jar --port PORT --sidecar URL [--host HOST]",
            "",
            "The Understudy demo app: an in-memory catalog whose writes go through its sidecar.",
            "",
            "  --port PORT     port to listen on (0 picks a free one)",
            "  --sidecar URL   this app's sidecar local API, e.g. http://127.0.0.1:7001",
            "  --host HOST     address to listen on (default 127.0.0.1)",
            "  --help          print this help and exit",
            "  --version       print the version and git commit and exit",
            "");

    /** A command line that cannot be used; the message says what to fix. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }

    /** Parses the arguments; returns empty when {@code --help} was asked for. */
    public static Optional<DemoOptions> parse(String... args) throws UsageException {
        String host = "127.0.0.1";
        Integer port = null;
        URI sidecar = null;
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            return Optional.empty();
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (!name.equals("--port") && !name.equals("--sidecar") && !name.equals("--host")) {
                throw new UsageException("unknown argument '" + arg + "'");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException(name + " needs a value");
                }
                value = args[++i];
            }
            switch (name) {
                case "--port" -> port = parsePort(value);
                case "--sidecar" -> sidecar = parseSidecar(value);
                default -> host = parseHost(value);
            }
        }
        if (port == null) {
            throw new UsageException("--port is required");
        }
        if (sidecar == null) {
            throw new UsageException("--sidecar is required, e.g. --sidecar http://127.0.0.1:7001");
        }
        return Optional.of(new DemoOptions(host, port, sidecar));
    }

    private static int parsePort(String value) throws UsageException {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--port needs a number from 0 to 65535, got '" + value + "'");
    }

    private static URI parseSidecar(String value) throws UsageException {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            if (("http".equals(scheme) || "https".equals(scheme)) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new UsageException("--sidecar needs an http URL such as http://127.0.0.1:7001, got '" + value + "'");
    }

    private static String parseHost(String value) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException("--host needs an address such as 127.0.0.1 or 0.0.0.0");
        }
        return value;
    }
}
