package io.understudy.sidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The shaded jar (failsafe runs after {@code package}) says which build it is. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JarVersionIT {

    @Test
    void shadedJarPrintsItsVersionAndCommit() throws Exception {
        Path jar = Path.of("target", "understudy-sidecar.jar");
        assertTrue(Files.isRegularFile(jar), "build the jar first: " + jar.toAbsolutePath());
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        jar.toString(),
                        "--version")
                .redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "--version did not exit");

        assertEquals(0, process.exitValue(), out);
        assertTrue(out.matches("understudy-sidecar \\d+\\.\\d+\\.\\d+\\S* \\(commit \\S+\\)"), out);
    }
}
