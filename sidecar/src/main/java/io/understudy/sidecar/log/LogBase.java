package io.understudy.sidecar.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The durable base of a partition log (file {@code log-base} in its directory): the position just before the first
 * entry it holds, and whether a {@link SegmentedLog#resetTo reset} was under way. One line, {@code "<epoch>
 * <index>"} or {@code "<epoch> <index> reset"}, replaced atomically ({@link AtomicFiles#write}); missing means
 * {@link Position#ZERO}.
 *
 * <p>Trimming writes the new base before it deletes a segment, so a crash part-way leaves segments wholly at or
 * below the base, which recovery deletes. A reset writes the base with {@code reset} first, deletes every segment,
 * then writes it again without: recovery that finds {@code reset} deletes every segment, so a crash leaves either
 * the old log (the first write did not land) or the reset one.
 */
final class LogBase {
    static final String FILE = "log-base";
    private static final String RESET = "reset";

    /** What the file says. */
    record State(Position base, boolean resetPending) {}

    private LogBase() {}

    static State load(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            return new State(Position.ZERO, false);
        }
        String[] parts = text.split(" ");
        try {
            if ((parts.length == 2 || (parts.length == 3 && parts[2].equals(RESET)))) {
                long epoch = Long.parseLong(parts[0]);
                long index = Long.parseLong(parts[1]);
                if (epoch >= 0 && index >= 0) return new State(new Position(epoch, index), parts.length == 3);
            }
        } catch (NumberFormatException e) {
            throw new IOException("log base file " + file + " is damaged: '" + text + "'", e);
        }
        throw new IOException("log base file " + file + " is damaged: '" + text + "'");
    }

    /** Replaces the file; durable when it returns. */
    static void store(Path dir, Position base, boolean resetPending) throws IOException {
        String line = base.epoch() + " " + base.index() + (resetPending ? " " + RESET : "") + "\n";
        AtomicFiles.write(dir.resolve(FILE), line.getBytes(StandardCharsets.UTF_8));
    }
}
