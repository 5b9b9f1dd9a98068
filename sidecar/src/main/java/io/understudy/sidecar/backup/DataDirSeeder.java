package io.understudy.sidecar.backup;

import io.understudy.sidecar.log.DataDirectory;
import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.PartitionLog;
import io.understudy.sidecar.log.Position;
import io.understudy.sidecar.snapshot.SnapshotStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Seeds a stopped member's data dir from a {@link VerifiedBackup}: per partition the snapshot into the snapshot
 * store, then the log continued from the snapshot's position ({@link PartitionLog#resetTo}) with the backup's
 * records appended and forced. A backup without snapshot whose log starts at index 1 needs neither a snapshot store
 * nor {@code resetTo}.
 */
public final class DataDirSeeder {
    /** Opens a partition's log in the data dir (the configured segment size and fsync policy). */
    @FunctionalInterface
    public interface LogOpener {
        PartitionLog open(int partition) throws IOException;
    }

    private static final int APPEND_BATCH = 1024;

    private final DataDirectory dataDir;
    private final SnapshotStore snapshots;
    private final LogOpener logs;

    public DataDirSeeder(DataDirectory dataDir, SnapshotStore snapshots, LogOpener logs) {
        this.dataDir = dataDir;
        this.snapshots = snapshots;
        this.logs = logs;
    }

    /**
     * What the first {@code partitions} partitions of the data dir already hold (entries, a snapshot, an epoch), one
     * line each; empty when nothing. Partitions without a directory are not created.
     */
    public List<String> heldData(int partitions) throws IOException {
        List<String> held = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            if (!Files.isDirectory(partitionDir(p))) continue;
            long knownEpoch = dataDir.durableLong(knownEpochFile(p)).get();
            long logEnd;
            try (PartitionLog log = logs.open(p)) {
                logEnd = log.logEnd();
            }
            boolean snapshot = snapshots.latest(p).isPresent();
            if (logEnd > 0 || knownEpoch > 0 || snapshot) {
                held.add("partition " + p + ": log end " + logEnd + ", known epoch " + knownEpoch
                        + (snapshot ? ", a snapshot" : ""));
            }
        }
        return held;
    }

    /** Deletes the first {@code partitions} partition directories, everything in them (for a forced restore). */
    public void wipe(int partitions) throws IOException {
        for (int p = 0; p < partitions; p++) {
            Path dir = partitionDir(p);
            if (!Files.exists(dir)) continue;
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path file : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(file);
            }
        }
        BackupWriter.forceDirectory(dataDir.path());
    }

    /**
     * Seeds every partition of {@code backup}.
     *
     * @throws UnsupportedOperationException when the backup starts from a snapshot and this build's log cannot
     *     continue from one
     */
    public void seed(VerifiedBackup backup) throws IOException {
        for (BackupManifest.PartitionBackup p : backup.manifest().partitions()) seed(backup, p);
    }

    private void seed(VerifiedBackup backup, BackupManifest.PartitionBackup p) throws IOException {
        Position base = Position.ZERO;
        if (p.snapshot() != null) {
            base = p.snapshot().position();
            try (InputStream in = Files.newInputStream(backup.file(p.snapshot().file()))) {
                snapshots.save(p.partition(), base, in);
            }
        }
        try (PartitionLog log = logs.open(p.partition())) {
            if (log.logEnd() != 0) {
                throw new BackupFailedException("partition " + p.partition() + " of " + dataDir.path()
                        + " holds entries (log end " + log.logEnd() + "); restore refuses to mix logs");
            }
            if (!base.equals(Position.ZERO)) log.resetTo(base);
            try (RecordFileReader reader =
                    new RecordFileReader(backup.file(p.log().file()), p.partition())) {
                for (List<Entry> batch; !(batch = reader.next(APPEND_BATCH)).isEmpty(); ) log.append(batch);
            }
            log.sync();
        }
    }

    private Path partitionDir(int partition) {
        return dataDir.path().resolve("partition-" + partition);
    }

    /** The data dir file that keeps a partition's highest known epoch. */
    public static String knownEpochFile(int partition) {
        return "partition-" + partition + "/known-epoch";
    }

    /** The data dir file that keeps a partition's group incarnation. */
    public static String incarnationFile(int partition) {
        return "partition-" + partition + "/incarnation";
    }
}
