package io.understudy.sidecar.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus's {@code promtool}, run as a process. Missing, it fails the test (never skips it): CI installs it, and
 * so can a developer with {@code apt-get install prometheus}.
 */
public final class Promtool {
    /** What a run printed (stdout and stderr together) and its exit code. */
    public record Result(int exitCode, String output) {}

    private final Path executable;

    private Promtool(Path executable) {
        this.executable = executable;
    }

    /** Finds {@code promtool} on the PATH, or fails the test saying how to install it. */
    public static Promtool find() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) return new Promtool(candidate);
        }
        return fail("promtool is not on the PATH (" + path + "): install it with 'apt-get install prometheus'"
                + " (Debian/Ubuntu) or put Prometheus's promtool on the PATH; this test checks the sidecar's metrics"
                + " and alert rules with it and is never skipped");
    }

    /** Runs {@code promtool args...} with {@code stdin} (may be null) and waits at most 60 s. */
    public Result run(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (stdin != null) process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("promtool " + args[0] + " did not finish within 60 s");
        }
        return new Result(process.exitValue(), output);
    }
}
