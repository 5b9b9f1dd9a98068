package io.understudy.sidecar.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.log.Position;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class BackupWriterTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T22:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path root;

    @Test
    void aBackupHoldsTheCommittedEntriesOnlyAndItsManifestReadsBackEqual() throws Exception {
        Path out = root.resolve("backup");
        BackupManifest written = new BackupWriter(new FakeBackupSource(20, 25, 0), CLOCK).write(out);

        BackupManifest read = BackupManifest.read(out);
        assertEquals(written, read);
        assertEquals("g", read.group());
        assertEquals("node-1", read.member());
        assertEquals("1.2.3", read.sidecarVersion());
        assertEquals("2026-12-03T22:00:00Z", read.createdAt());
        BackupManifest.PartitionBackup p = read.partitions().get(0);
        assertNull(p.snapshot());
        assertEquals(1, p.log().fromIndex());
        assertEquals(20, p.log().toIndex(), "entries 21..25 are not committed");
        assertEquals(20, p.coveredIndex());
        assertEquals(
                new Position(1, 20), BackupVerifier.verify(out).lastPositions().get(0));
        assertEquals(Files.size(out.resolve(p.log().file())), p.log().sizeBytes());
    }

    @Test
    void aBackupWithASnapshotHoldsTheLogRightAfterIt() throws Exception {
        Path out = root.resolve("backup");
        new BackupWriter(new FakeBackupSource(30, 30, 12), CLOCK).write(out);

        VerifiedBackup verified = BackupVerifier.verify(out);
        BackupManifest.PartitionBackup p = verified.manifest().partitions().get(0);
        assertEquals(12, p.snapshot().index());
        assertEquals("state up to 12", Files.readString(out.resolve(p.snapshot().file())));
        assertEquals(13, p.log().fromIndex());
        assertEquals(30, p.coveredIndex());
        assertEquals(new Position(1, 30), verified.lastPositions().get(0));
    }

    @Test
    void aNonEmptyTargetIsRefusedAndLeftAsItWas() throws Exception {
        Path out = Files.createDirectories(root.resolve("backup"));
        Files.writeString(out.resolve("keep.txt"), "mine");

        BackupFailedException refused = assertThrows(
                BackupFailedException.class, () -> new BackupWriter(new FakeBackupSource(5, 5, 0), CLOCK).write(out));

        assertTrue(refused.getMessage().contains("not empty"), refused.getMessage());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void aSnapshotDamagedInTransitFailsTheBackupAndLeavesNothing() throws IOException {
        Path out = root.resolve("backup");

        assertThrows(
                BackupFailedException.class,
                () -> new BackupWriter(new FakeBackupSource(30, 30, 12).servingADamagedSnapshot(), CLOCK).write(out));

        assertFalse(Files.exists(out));
        try (Stream<Path> files = Files.list(root)) {
            assertEquals(0, files.count(), "no partial directory is left");
        }
    }
}
