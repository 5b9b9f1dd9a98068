package io.understudy.sidecar.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Durable file operations: whole-file atomic replacement, durable delete, directory force. */
final class AtomicFiles {
    private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);

    private AtomicFiles() {}

    /** Replaces {@code file} with {@code content}: write a sibling .tmp, force it, rename over, force the dir. */
    static void write(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(parentOf(file));
    }

    /** Deletes {@code file} if present and makes the deletion durable. */
    static void delete(Path file) throws IOException {
        if (Files.deleteIfExists(file)) forceDirectory(parentOf(file));
    }

    /**
     * Forces a directory's entries (created, renamed, deleted files) to the disk. Some platforms refuse to open
     * or force a directory; that is logged at DEBUG and otherwise ignored, as there is nothing more to do.
     */
    static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debug("cannot force directory {} on this platform: {}", dir, e.toString());
        }
    }

    private static Path parentOf(Path file) {
        return file.toAbsolutePath().getParent();
    }
}
