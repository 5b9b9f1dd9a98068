package io.understudy.sidecar.backup;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class BackupVerifierTest {
    @TempDir
    Path root;

    private Path backup;

    @BeforeEach
    void takeBackup() throws Exception {
        backup = root.resolve("backup");
        new BackupWriter(new FakeBackupSource(20, 20, 5), Clock.systemUTC()).write(backup);
    }

    @Test
    void aFlippedByteInTheLogIsFound() throws IOException {
        flipByte(backup.resolve("partition-0.log"), 40);

        assertRefused("partition-0.log is damaged");
    }

    @Test
    void aTruncatedLogIsFound() throws IOException {
        try (FileChannel channel = FileChannel.open(backup.resolve("partition-0.log"), StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 3);
        }

        assertRefused("partition-0.log is damaged");
    }

    @Test
    void aMissingSnapshotIsFound() throws IOException {
        Files.delete(backup.resolve("partition-0.snapshot"));

        assertRefused("partition-0.snapshot is missing");
    }

    @Test
    void aBackupWithoutManifestIsNoBackup() throws IOException {
        Files.delete(backup.resolve(BackupManifest.FILE));

        assertRefused("holds no manifest.json");
    }

    @Test
    void aManifestNamingAFileOutsideTheBackupIsRefused() throws IOException {
        Path manifest = backup.resolve(BackupManifest.FILE);
        Files.writeString(manifest, Files.readString(manifest).replace("partition-0.log", "../elsewhere.log"));

        assertRefused("outside the backup");
    }

    private void assertRefused(String reason) {
        CorruptBackupException refused =
                assertThrows(CorruptBackupException.class, () -> BackupVerifier.verify(backup));
        assertTrue(refused.getMessage().contains(reason), refused.getMessage());
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
            channel.read(one, offset);
            one.put(0, (byte) (one.get(0) ^ 0x10)).rewind();
            channel.write(one, offset);
        }
    }
}
