package io.understudy.sidecar.log;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member's data directory: held by one process at a time (an exclusive lock on {@code lock}), named by a random
 * id (file {@code id}, the "data dir id" that ISR entries record), and marked {@code clean-shutdown} by {@link
 * #close()}. The marker is read and deleted on open, so its absence on the next open means this process crashed.
 * File {@code boot-id} records the kernel boot each process opened it in ({@link BootId}): a crash on the same boot
 * lost nothing it had written (the page cache keeps it), only a reboot can have lost unflushed writes. Partition
 * logs live in {@code partition-<p>}.
 *
 * <p>Close this last, after every log in it has been closed (and so forced): the marker promises that.
 */
public final class DataDirectory implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);
    static final String LOCK_FILE = "lock";
    static final String ID_FILE = "id";
    static final String CLEAN_SHUTDOWN_FILE = "clean-shutdown";
    static final String BOOT_ID_FILE = "boot-id";

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final boolean isNew;
    private final boolean wasCleanShutdown;
    private final boolean sameBoot;
    private final boolean markCleanOnClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile String id;

    private DataDirectory(
            Path dir,
            FileChannel lockChannel,
            FileLock lock,
            String id,
            boolean isNew,
            boolean wasCleanShutdown,
            boolean sameBoot,
            boolean markCleanOnClose) {
        this.dir = dir;
        this.markCleanOnClose = markCleanOnClose;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.id = id;
        this.isNew = isNew;
        this.wasCleanShutdown = wasCleanShutdown;
        this.sameBoot = sameBoot;
    }

    /** Creates the directory if missing and takes it for this process, on the kernel's boot id. */
    public static DataDirectory open(Path dir) throws IOException {
        return open(dir, BootId.kernel());
    }

    /** Creates the directory if missing and takes it for this process, recording the boot it runs on. */
    public static DataDirectory open(Path dir, BootId bootId) throws IOException {
        Path absolute = dir.toAbsolutePath();
        Files.createDirectories(absolute);
        FileChannel channel =
                FileChannel.open(absolute.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = tryLock(channel, absolute);
            Path idFile = absolute.resolve(ID_FILE);
            boolean isNew = !Files.exists(idFile);
            String id = isNew ? writeNewId(idFile) : readId(idFile);
            Path marker = absolute.resolve(CLEAN_SHUTDOWN_FILE);
            boolean clean = Files.exists(marker);
            AtomicFiles.delete(marker);
            boolean sameBoot = recordBoot(absolute.resolve(BOOT_ID_FILE), bootId.current());
            LOG.info(
                    "[{}] opened data dir {}{}, previous shutdown {}",
                    id,
                    absolute,
                    isNew ? " (new)" : "",
                    isNew
                            ? "n/a"
                            : clean ? "clean" : sameBoot ? "UNCLEAN (no reboot since)" : "UNCLEAN (after a reboot)");
            return new DataDirectory(absolute, channel, lock, id, isNew, clean, sameBoot, true);
        } catch (IOException | RuntimeException e) {
            channel.close(); // releases the lock if taken
            throw e;
        }
    }

    /**
     * Takes an existing directory of a stopped member for an offline tool (such as {@code recover-zookeeper}):
     * the shutdown marker and the boot id stay as they are, so that the member's next start judges its last run as
     * it would have without the tool.
     */
    public static DataDirectory openStopped(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        Path idFile = absolute.resolve(ID_FILE);
        if (!Files.exists(idFile))
            throw new IOException(absolute + " is not an Understudy data dir (no " + ID_FILE + ")");
        FileChannel channel = FileChannel.open(absolute.resolve(LOCK_FILE), StandardOpenOption.WRITE);
        try {
            FileLock lock = tryLock(channel, absolute);
            boolean clean = Files.exists(absolute.resolve(CLEAN_SHUTDOWN_FILE));
            return new DataDirectory(absolute, channel, lock, readId(idFile), false, clean, false, false);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The data dir id: a random UUID, stable across restarts until {@link #rotateId()}. */
    public String id() {
        return id;
    }

    /** True when the previous process using this directory closed it cleanly (false for a new directory). */
    public boolean wasCleanShutdown() {
        return wasCleanShutdown;
    }

    /**
     * True when the previous process using this directory ran on the same kernel boot as this one (both boot ids
     * known): had it crashed, every byte it wrote is still here, flushed or not.
     */
    public boolean sameBootAsPreviousRun() {
        return sameBoot;
    }

    /** True when the directory had no id before this open. */
    public boolean isNew() {
        return isNew;
    }

    public Path path() {
        return dir;
    }

    /** Gives this directory a new random id: its data is suspect and the member must rejoin as a new replica. */
    public synchronized void rotateId() throws IOException {
        String old = id;
        id = writeNewId(dir.resolve(ID_FILE));
        LOG.warn("[{}] data dir id rotated from {}: this member rejoins as a new replica", id, old);
    }

    /** {@code partition-<p>}, created if missing. */
    public Path partitionDir(int partition) throws IOException {
        if (partition < 0) throw new IllegalArgumentException("partition " + partition);
        Path p = dir.resolve("partition-" + partition);
        if (!Files.isDirectory(p)) {
            Files.createDirectories(p);
            AtomicFiles.forceDirectory(dir);
        }
        return p;
    }

    /** A durable long in file {@code name}, a path relative to this directory such as "partition-0/known-epoch". */
    public DurableLong durableLong(String name) throws IOException {
        Path file = dir.resolve(name).normalize();
        if (!file.startsWith(dir) || file.equals(dir)) {
            throw new IllegalArgumentException("durable value '" + name + "' is outside " + dir);
        }
        Files.createDirectories(file.getParent());
        return DurableLong.load(file);
    }

    /** Writes the clean-shutdown marker durably (not for {@link #openStopped}) and releases the lock. Idempotent. */
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) return;
        if (!markCleanOnClose) {
            releaseLock();
            return;
        }
        try {
            AtomicFiles.write(dir.resolve(CLEAN_SHUTDOWN_FILE), new byte[0]);
        } finally {
            releaseLock();
        }
        LOG.info("[{}] closed data dir {} cleanly", id, dir);
    }

    /** Releases the lock without the marker, as a crash would. For tests. */
    void closeWithoutMarker() throws IOException {
        if (closed.compareAndSet(false, true)) releaseLock();
    }

    private void releaseLock() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }

    private static FileLock tryLock(FileChannel channel, Path dir) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this JVM
        }
        if (lock == null) {
            throw new IOException("another Understudy process is using data dir " + dir + " (it holds "
                    + dir.resolve(LOCK_FILE) + ")");
        }
        return lock;
    }

    /** Records the current boot id; answers whether the one recorded before is the same. */
    private static boolean recordBoot(Path file, Optional<String> current) throws IOException {
        Optional<String> previous = Files.exists(file)
                ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim())
                        .filter(s -> !s.isEmpty())
                : Optional.empty();
        if (current.isEmpty()) {
            AtomicFiles.delete(file);
            return false;
        }
        if (!current.equals(previous)) AtomicFiles.write(file, (current.get() + "\n").getBytes(StandardCharsets.UTF_8));
        return current.equals(previous);
    }

    private static String writeNewId(Path idFile) throws IOException {
        String id = UUID.randomUUID().toString();
        AtomicFiles.write(idFile, (id + "\n").getBytes(StandardCharsets.UTF_8));
        return id;
    }

    private static String readId(Path idFile) throws IOException {
        String text = Files.readString(idFile, StandardCharsets.UTF_8).trim();
        try {
            return UUID.fromString(text).toString();
        } catch (IllegalArgumentException e) {
            throw new IOException("data dir id file " + idFile + " does not hold a UUID", e);
        }
    }

    @Override
    public String toString() {
        return "DataDirectory[" + dir + " id " + id + "]";
    }
}
