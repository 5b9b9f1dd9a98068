package io.understudy.sidecar.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.understudy.sidecar.log.DataDirectory;
import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.FsyncPolicy;
import io.understudy.sidecar.log.PartitionLog;
import io.understudy.sidecar.log.Position;
import io.understudy.sidecar.log.SegmentedLog;
import io.understudy.sidecar.snapshot.FileSnapshotStore;
import io.understudy.sidecar.snapshot.SnapshotInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class DataDirSeederTest {
    @TempDir
    Path root;

    @Test
    void aBackupWithoutSnapshotSeedsTheLogFromIndexOne() throws Exception {
        Path backup = root.resolve("backup");
        new BackupWriter(new FakeBackupSource(20, 25, 0), Clock.systemUTC()).write(backup);

        try (DataDirectory dataDir = DataDirectory.open(root.resolve("node-1"))) {
            DataDirSeeder seeder = seeder(dataDir);
            assertEquals(List.of(), seeder.heldData(1));
            seeder.seed(BackupVerifier.verify(backup));

            try (PartitionLog log = open(dataDir, 0)) {
                assertEquals(new Position(1, 20), log.lastPosition());
                List<Entry> entries = log.read(1, 100, Long.MAX_VALUE);
                assertEquals(20, entries.size());
                for (Entry e : entries)
                    assertEquals(FakeBackupSource.entry(e.index()).key(), e.key());
            }
            assertEquals(1, seeder.heldData(1).size(), "the seeded partition now holds data");
        }
    }

    /** Needs {@code PartitionLog.resetTo} (the bounded log, branch i-log); skipped on a log without it. */
    @Test
    void aBackupWithASnapshotSeedsTheSnapshotAndTheLogAfterIt() throws Exception {
        Path backup = root.resolve("backup");
        new BackupWriter(new FakeBackupSource(30, 30, 12), Clock.systemUTC()).write(backup);

        try (DataDirectory dataDir = DataDirectory.open(root.resolve("node-1"))) {
            seeder(dataDir).seed(BackupVerifier.verify(backup));

            SnapshotInfo snapshot = new FileSnapshotStore(dataDir).latest(0).orElseThrow();
            assertEquals(new Position(1, 12), snapshot.position());
            try (InputStream in = new FileSnapshotStore(dataDir).open(snapshot)) {
                assertEquals("state up to 12", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            try (PartitionLog log = open(dataDir, 0)) {
                assertEquals(new Position(1, 12), log.base());
                assertEquals(new Position(1, 30), log.lastPosition());
                assertEquals(13, log.read(13, 1, Long.MAX_VALUE).get(0).index());
            }
        }
    }

    private static DataDirSeeder seeder(DataDirectory dataDir) {
        return new DataDirSeeder(dataDir, new FileSnapshotStore(dataDir), p -> open(dataDir, p));
    }

    private static PartitionLog open(DataDirectory dataDir, int partition) throws IOException {
        return SegmentedLog.open(
                dataDir.partitionDir(partition),
                partition,
                FsyncPolicy.ALWAYS,
                Duration.ofMillis(100),
                SegmentedLog.DEFAULT_SEGMENT_BYTES);
    }
}
