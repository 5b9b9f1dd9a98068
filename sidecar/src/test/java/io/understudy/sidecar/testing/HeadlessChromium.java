package io.understudy.sidecar.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's {@code chromium}, run headless against a real page: the DOM after its scripts ran ({@code --dump-dom}) or
 * a screenshot. {@code --virtual-time-budget} lets timers run that long in virtual time, while time stands still for
 * pending network requests, so the page's fetches are answered before the dump. A missing browser fails the test
 * (never skips it): CI installs it.
 */
public final class HeadlessChromium {
    private static final List<String> NAMES = List.of("chromium", "chromium-browser");
    private static final Duration PROCESS_DEADLINE = Duration.ofSeconds(90);

    private final Path binary;
    private final Path profiles;

    private HeadlessChromium(Path binary, Path profiles) {
        this.binary = binary;
        this.profiles = profiles;
    }

    /** The browser on the PATH, with throw-away profiles under {@code scratch}; fails the test when absent. */
    public static HeadlessChromium find(Path scratch) {
        Optional<Path> found = Stream.of(
                        System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .flatMap(dir -> NAMES.stream().map(name -> Path.of(dir, name)))
                .filter(Files::isExecutable)
                .findFirst();
        if (found.isEmpty()) {
            fail("headless Chromium is needed to test the status page, and neither of " + NAMES
                    + " is on the PATH: install it with `sudo apt-get install chromium` (Debian; CI does)");
        }
        return new HeadlessChromium(found.get(), scratch);
    }

    /** The page's DOM once its scripts ran for {@code budget} of virtual time. */
    public String dumpDom(URI page, Duration budget) throws IOException, InterruptedException {
        return run(page, budget, List.of("--dump-dom"));
    }

    /** Saves a PNG of the page as a {@code width}x{@code height} window shows it after {@code budget}. */
    public void screenshot(URI page, Duration budget, Path png, int width, int height)
            throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.deleteIfExists(png);
        run(page, budget, List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height));
        assertTrue(Files.size(png) > 0, "chromium wrote an empty screenshot " + png);
    }

    private String run(URI page, Duration budget, List<String> action) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(Files.createDirectories(profiles), "chromium-");
        Path out = profile.resolve("stdout");
        Path err = profile.resolve("stderr");
        List<String> command = new ArrayList<>(List.of(
                binary.toString(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--hide-scrollbars",
                "--user-data-dir=" + profile.resolve("profile"),
                "--virtual-time-budget=" + budget.toMillis()));
        command.addAll(action);
        command.add(page.toString());
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(PROCESS_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            fail("chromium did not finish within " + PROCESS_DEADLINE.toSeconds() + " s: " + command);
        }
        assertEquals(
                0,
                process.exitValue(),
                "chromium failed: " + command + "\n" + Files.readString(err, StandardCharsets.UTF_8));
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
