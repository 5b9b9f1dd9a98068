package io.understudy.sidecar.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The identity of the running kernel boot. Two processes that see the same boot id ran on the same boot of the
 * machine, so whatever the first wrote to a file (flushed to disk or not) is in the page cache for the second.
 * A seam: tests inject their own to simulate a reboot.
 */
@FunctionalInterface
public interface BootId {
    /** The current boot id, or empty when the platform does not tell. */
    Optional<String> current();

    /** Linux's {@code /proc/sys/kernel/random/boot_id}; empty elsewhere. */
    static BootId kernel() {
        Path file = Path.of("/proc/sys/kernel/random/boot_id");
        return () -> {
            try {
                String id = Files.readString(file, StandardCharsets.US_ASCII).trim();
                return id.isEmpty() ? Optional.empty() : Optional.of(id);
            } catch (IOException e) {
                return Optional.empty();
            }
        };
    }
}
