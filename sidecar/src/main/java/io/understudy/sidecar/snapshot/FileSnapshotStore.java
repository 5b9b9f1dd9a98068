package io.understudy.sidecar.snapshot;

import io.understudy.sidecar.log.DataDirectory;
import io.understudy.sidecar.log.Position;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots as files in {@code partition-<p>/snapshots/} of the data directory: {@code <index>-<epoch>.snapshot}
 * (the app's bytes, index zero-padded to 20 digits) and beside it {@code <index>-<epoch>.meta}, one line
 * {@code index epoch sizeBytes crc32c}. The meta file is written (atomically, forced) only after the data file is
 * forced and renamed into place, so a crash mid-save leaves no meta file and the half-written snapshot is ignored
 * (and removed by the next save).
 */
public final class FileSnapshotStore implements SnapshotStore {
    private static final Logger LOG = LoggerFactory.getLogger(FileSnapshotStore.class);
    static final String DIR = "snapshots";
    private static final String DATA = ".snapshot";
    private static final String META = ".meta";
    private static final String TMP = ".tmp";
    private static final int KEEP = 2;

    private final DataDirectory dataDir;

    public FileSnapshotStore(DataDirectory dataDir) {
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
    }

    @Override
    public Optional<SnapshotInfo> latest(int partition) throws IOException {
        List<SnapshotInfo> all = complete(partition);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    @Override
    public InputStream open(SnapshotInfo snapshot) throws IOException {
        Path data = dir(snapshot.partition()).resolve(name(snapshot.position()) + DATA);
        return new CheckedSnapshotStream(Files.newInputStream(data), snapshot);
    }

    @Override
    public synchronized SnapshotInfo save(int partition, Position position, InputStream bytes) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        Path dir = dir(partition);
        String name = name(position);
        Path tmp = dir.resolve(name + DATA + TMP);
        CRC32C crc = new CRC32C();
        long size = 0;
        try (FileChannel channel = FileChannel.open(
                        tmp,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE);
                OutputStream out = Channels.newOutputStream(channel)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = bytes.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                crc.update(buffer, 0, n);
                size += n;
            }
            channel.force(true);
        }
        Files.move(tmp, dir.resolve(name + DATA), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        SnapshotInfo saved = new SnapshotInfo(partition, position, size, crc.getValue());
        Path metaTmp = dir.resolve(name + META + TMP);
        try (FileChannel channel = FileChannel.open(
                metaTmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            String line = position.index() + " " + position.epoch() + " " + size + " " + saved.crc32c() + "\n";
            channel.write(java.nio.ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
            channel.force(true);
        }
        Files.move(
                metaTmp, dir.resolve(name + META), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(dir);
        LOG.info("[p{}] saved snapshot at {}: {} bytes", partition, position, size);
        deleteAllBut(partition, KEEP);
        return saved;
    }

    private List<SnapshotInfo> complete(int partition) throws IOException {
        List<SnapshotInfo> found = new ArrayList<>();
        Path dir = dir(partition);
        try (DirectoryStream<Path> metas = Files.newDirectoryStream(dir, "*" + META)) {
            for (Path meta : metas) {
                parse(partition, meta).ifPresent(found::add);
            }
        }
        found.sort(Comparator.comparing(SnapshotInfo::position));
        return found;
    }

    private Optional<SnapshotInfo> parse(int partition, Path meta) throws IOException {
        String[] f = Files.readString(meta, StandardCharsets.US_ASCII).trim().split(" ");
        try {
            SnapshotInfo info = new SnapshotInfo(
                    partition,
                    new Position(Long.parseLong(f[1]), Long.parseLong(f[0])),
                    Long.parseLong(f[2]),
                    Long.parseLong(f[3]));
            Path data = meta.resolveSibling(name(info.position()) + DATA);
            if (Files.isRegularFile(data) && Files.size(data) == info.sizeBytes()) return Optional.of(info);
            LOG.warn("[p{}] snapshot {} has no data file of {} bytes; ignored", partition, meta, info.sizeBytes());
        } catch (RuntimeException e) {
            LOG.warn("[p{}] unreadable snapshot meta {} ({}); ignored", partition, meta, e.toString());
        }
        return Optional.empty();
    }

    /** Deletes every snapshot but the newest {@code keep}, and anything a crashed save left. */
    private void deleteAllBut(int partition, int keep) throws IOException {
        List<SnapshotInfo> all = complete(partition);
        List<String> kept = new ArrayList<>();
        for (SnapshotInfo s : all.subList(Math.max(0, all.size() - keep), all.size())) kept.add(name(s.position()));
        Path dir = dir(partition);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                int dot = fileName.indexOf('.');
                if (dot > 0 && !kept.contains(fileName.substring(0, dot))) Files.deleteIfExists(file);
            }
        }
        forceDirectory(dir);
    }

    private Path dir(int partition) throws IOException {
        Path dir = dataDir.partitionDir(partition).resolve(DIR);
        Files.createDirectories(dir);
        return dir;
    }

    private static String name(Position position) {
        return String.format("%020d-%d", position.index(), position.epoch());
    }

    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
