package io.understudy.sidecar.backup;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.understudy.sidecar.log.Position;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * {@code manifest.json}, the description of a backup directory: which group and member it was taken from, when, by
 * which sidecar version, and per partition the snapshot (null when none) and the log file that follows it, each with
 * its index range, size and CRC-32C. Written last, so a directory without one is no backup.
 *
 * @param format the manifest's format, {@link #FORMAT}
 * @param createdAt when the backup was taken (ISO-8601 instant)
 */
public record BackupManifest(
        int format,
        String group,
        String member,
        String createdAt,
        String sidecarVersion,
        List<PartitionBackup> partitions) {
    /** The manifest format this build writes and reads. */
    public static final int FORMAT = 1;

    public static final String FILE = "manifest.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public BackupManifest {
        Objects.requireNonNull(group, "group");
        partitions = List.copyOf(partitions);
        for (int p = 0; p < partitions.size(); p++) {
            if (partitions.get(p).partition() != p) {
                throw new IllegalArgumentException(
                        "partition " + p + " is listed as " + partitions.get(p).partition());
            }
        }
    }

    /**
     * One partition's part of the backup: {@code snapshot} (or null) covers every entry up to its index, {@code log}
     * holds the committed entries after it, {@code fromIndex} to {@code toIndex} (empty when {@code toIndex <
     * fromIndex}).
     */
    public record PartitionBackup(int partition, SnapshotFile snapshot, LogFile log) {
        public PartitionBackup {
            Objects.requireNonNull(log, "log");
            long expectedFrom = snapshot == null ? 1 : snapshot.index() + 1;
            if (log.fromIndex() != expectedFrom) {
                throw new IllegalArgumentException("partition " + partition + ": log starts at " + log.fromIndex()
                        + ", not right after the snapshot (" + expectedFrom + ")");
            }
        }

        /** The last index the backup restores: what the log reaches, else what the snapshot covers. */
        public long coveredIndex() {
            return log.toIndex() >= log.fromIndex() ? log.toIndex() : snapshot == null ? 0 : snapshot.index();
        }
    }

    /** The app's snapshot at {@code index} (of {@code epoch}), in {@code file}. */
    public record SnapshotFile(long index, long epoch, String file, long sizeBytes, long crc32c) {
        public Position position() {
            return new Position(epoch, index);
        }
    }

    /** The stored records of entries {@code fromIndex..toIndex} as the log holds them ({@code RecordCodec}). */
    public record LogFile(String file, long fromIndex, long toIndex, long sizeBytes, long crc32c) {
        public long entries() {
            return Math.max(0, toIndex - fromIndex + 1);
        }
    }

    /** Reads {@code dir}'s manifest; a missing or unreadable one is a {@link CorruptBackupException}. */
    public static BackupManifest read(Path dir) throws CorruptBackupException {
        Path file = dir.resolve(FILE);
        BackupManifest manifest;
        try {
            manifest = JSON.readValue(Files.readAllBytes(file), BackupManifest.class);
        } catch (NoSuchFileException e) {
            throw new CorruptBackupException(dir + " holds no " + FILE + ": not a backup, or one that did not finish");
        } catch (IOException | RuntimeException e) {
            throw new CorruptBackupException("cannot read " + file + ": " + e.getMessage());
        }
        if (manifest.format() != FORMAT) {
            throw new CorruptBackupException(
                    file + " has format " + manifest.format() + "; this sidecar reads format " + FORMAT);
        }
        return manifest;
    }

    /** The manifest as JSON bytes. */
    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a manifest as JSON", e);
        }
    }
}
