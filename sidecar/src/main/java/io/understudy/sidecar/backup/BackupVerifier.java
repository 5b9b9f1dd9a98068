package io.understudy.sidecar.backup;

import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.Position;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a backup directory before anything is restored from it: the manifest reads, every file it names is there
 * with the size and CRC-32C it records, and every record of each log file decodes (its own checksum) with the
 * indexes the manifest says, densely, in epochs that never go down.
 */
public final class BackupVerifier {
    private BackupVerifier() {}

    /**
     * @throws CorruptBackupException naming the first thing that does not match
     */
    public static VerifiedBackup verify(Path dir) throws IOException {
        BackupManifest manifest = BackupManifest.read(dir);
        List<Position> last = new ArrayList<>();
        for (BackupManifest.PartitionBackup p : manifest.partitions()) {
            Position position = Position.ZERO;
            if (p.snapshot() != null) {
                BackupManifest.SnapshotFile s = p.snapshot();
                check(dir, s.file(), s.sizeBytes(), s.crc32c());
                position = s.position();
            }
            BackupManifest.LogFile log = p.log();
            check(dir, log.file(), log.sizeBytes(), log.crc32c());
            last.add(checkRecords(dir.resolve(log.file()), p.partition(), log, position));
        }
        return new VerifiedBackup(dir, manifest, last);
    }

    private static void check(Path dir, String name, long size, long crc32c) throws IOException {
        if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new CorruptBackupException("the manifest names a file outside the backup: '" + name + "'");
        }
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file))
            throw new CorruptBackupException(file + " is missing: the backup is incomplete");
        ChecksummedFile.Checksum actual = ChecksummedFile.checksum(file);
        if (actual.sizeBytes() != size || actual.crc32c() != crc32c) {
            throw new CorruptBackupException(file + " is damaged: " + actual.sizeBytes() + " bytes with CRC-32C "
                    + Long.toHexString(actual.crc32c()) + ", the manifest records " + size + " bytes with "
                    + Long.toHexString(crc32c));
        }
    }

    private static Position checkRecords(Path file, int partition, BackupManifest.LogFile log, Position after)
            throws IOException {
        Position last = after;
        long expected = log.fromIndex();
        try (RecordFileReader reader = new RecordFileReader(file, partition)) {
            for (Entry e; (e = reader.next()) != null; ) {
                if (e.index() != expected || e.epoch() < last.epoch()) {
                    throw new CorruptBackupException(file + ": entry " + e.position() + " where index " + expected
                            + " of epoch " + last.epoch() + " or later belongs");
                }
                last = e.position();
                expected++;
            }
        }
        if (expected - 1 != log.toIndex()) {
            throw new CorruptBackupException(file + " ends at index " + (expected - 1) + ", the manifest says "
                    + log.toIndex() + ": the backup is incomplete");
        }
        return last;
    }
}
