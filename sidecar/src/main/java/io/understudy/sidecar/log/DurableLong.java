package io.understudy.sidecar.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A long kept in a small text file (decimal digits), replaced atomically and durably on every {@link #set}: for
 * values a restart must not forget, such as the highest epoch a member has seen. 0 while the file is missing.
 * Reads come from memory; the value is loaded once when created.
 */
public final class DurableLong {
    private final Path file;
    private volatile long value;

    private DurableLong(Path file, long value) {
        this.file = file;
        this.value = value;
    }

    /** Loads the value in {@code file} (0 when missing); an unreadable value is an IOException naming the file. */
    static DurableLong load(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            return new DurableLong(file, 0);
        }
        try {
            return new DurableLong(file, Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new IOException(
                    "durable value file " + file + " does not hold a number: '" + abbreviate(text) + "'", e);
        }
    }

    public long get() {
        return value;
    }

    /** Stores {@code v}; durable when it returns. Calls are serialized. */
    public synchronized void set(long v) throws IOException {
        AtomicFiles.write(file, (v + "\n").getBytes(StandardCharsets.UTF_8));
        value = v;
    }

    public Path file() {
        return file;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    @Override
    public String toString() {
        return file.getFileName() + "=" + value;
    }
}
