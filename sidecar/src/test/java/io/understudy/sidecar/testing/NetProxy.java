package io.understudy.sidecar.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code scripts/netproxy.py} as a child process: a TCP proxy on a loopback port in front of {@code target} that
 * delays each direction by {@code delayMs} and caps each direction at {@code bytesPerSecond} (0: no cap). The same
 * tool the benchmark puts in front of peer listeners, so tests and benchmark throttle alike.
 */
public final class NetProxy implements AutoCloseable {
    private final Process process;
    private final int port;

    private NetProxy(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static NetProxy start(int target, long delayMs, long bytesPerSecond) throws IOException {
        int port = FreePorts.next();
        List<String> command = new ArrayList<>(List.of(
                "python3",
                script().toString(),
                "--listen",
                Integer.toString(port),
                "--target",
                Integer.toString(target),
                "--delay-ms",
                Long.toString(delayMs),
                "--rate",
                Long.toString(bytesPerSecond)));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine(); // blocks until the proxy listens or dies; the test's @Timeout bounds it
        if (line == null || !line.equals("listening on " + port)) {
            process.destroyForcibly();
            throw new IOException("netproxy.py did not start: first line " + line);
        }
        return new NetProxy(process, port);
    }

    public int port() {
        return port;
    }

    /** The script, found from the module directory (tests run in sidecar/) or the repository root. */
    private static Path script() throws IOException {
        for (Path candidate : List.of(Path.of("../scripts/netproxy.py"), Path.of("scripts/netproxy.py"))) {
            if (Files.isRegularFile(candidate))
                return candidate.toAbsolutePath().normalize();
        }
        throw new IOException(
                "scripts/netproxy.py not found from " + Path.of("").toAbsolutePath());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
