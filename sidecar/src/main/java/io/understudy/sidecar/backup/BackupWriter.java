package io.understudy.sidecar.backup;

import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.RecordBatch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Takes a backup from a {@link BackupSource} into a new directory: per partition the member's latest stored snapshot
 * ({@code partition-<p>.snapshot}) and the committed records after it up to the commit index it knows
 * ({@code partition-<p>.log}), each checked as it arrives (the snapshot's size and CRC-32C against what the member
 * advertised, every record's own checksum and the indexes' order), then {@code manifest.json}. Everything goes to a
 * hidden sibling directory that is renamed to the target only once complete and forced, so the target is either
 * absent (or empty) or a whole backup.
 */
public final class BackupWriter {
    private final BackupSource source;
    private final Clock clock;

    public BackupWriter(BackupSource source, Clock clock) {
        this.source = source;
        this.clock = clock;
    }

    /**
     * Writes the backup to {@code out}, which must be absent or an empty directory.
     *
     * @throws BackupFailedException when {@code out} holds anything, or the member's data does not allow a
     *     complete backup; nothing is left behind then
     */
    public BackupManifest write(Path out) throws IOException, InterruptedException {
        Path target = out.toAbsolutePath().normalize();
        refuseNonEmpty(target);
        BackupOffer offer = source.offer();
        Path partial = target.resolveSibling("." + target.getFileName() + ".partial-" + UUID.randomUUID());
        Files.createDirectories(partial);
        try {
            List<BackupManifest.PartitionBackup> partitions = new ArrayList<>();
            for (BackupOffer.PartitionOffer p : offer.partitions()) partitions.add(partition(p, offer, partial));
            BackupManifest manifest = new BackupManifest(
                    BackupManifest.FORMAT,
                    offer.group(),
                    offer.member(),
                    clock.instant().toString(),
                    offer.sidecarVersion(),
                    partitions);
            try (ChecksummedFile file = new ChecksummedFile(partial.resolve(BackupManifest.FILE))) {
                byte[] json = manifest.toJson();
                file.write(json, 0, json.length);
            }
            forceDirectory(partial);
            refuseNonEmpty(target);
            Files.deleteIfExists(target); // an empty directory: rename cannot replace it on every platform
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory(target.getParent());
            return manifest;
        } finally {
            deleteTree(partial);
        }
    }

    private BackupManifest.PartitionBackup partition(BackupOffer.PartitionOffer p, BackupOffer offer, Path dir)
            throws IOException, InterruptedException {
        long from = p.logFromIndex();
        if (from <= p.logBaseIndex()) {
            throw new BackupFailedException("partition " + p.partition() + ": " + offer.member()
                    + "'s log holds entries only after index " + p.logBaseIndex() + " and no snapshot covers them;"
                    + " back up from a member that still holds them, or once a snapshot has been taken");
        }
        BackupManifest.SnapshotFile snapshot = p.snapshot() == null ? null : snapshot(p, dir);
        long to = p.coveredIndex();
        String logName = "partition-" + p.partition() + ".log";
        ChecksummedFile.Checksum sum;
        try (ChecksummedFile file = new ChecksummedFile(dir.resolve(logName))) {
            for (long next = from; next <= to; ) {
                RecordBatch batch = source.records(p.partition(), next, to);
                if (batch.count() == 0) {
                    throw new BackupFailedException("partition " + p.partition() + ": " + offer.member()
                            + " sent no records from index " + next + " (up to " + to + "); run the backup again");
                }
                for (Entry e : batch.entries()) {
                    if (e.index() != next++) {
                        throw new BackupFailedException("partition " + p.partition() + ": expected index " + (next - 1)
                                + ", received " + e.index() + "; run the backup again");
                    }
                }
                if (next - 1 > to) {
                    throw new BackupFailedException(
                            "partition " + p.partition() + ": received entries beyond the" + " covered index " + to);
                }
                file.write(batch.bytes(), 0, batch.bytes().length);
            }
            sum = file.checksum();
        }
        return new BackupManifest.PartitionBackup(
                p.partition(), snapshot, new BackupManifest.LogFile(logName, from, to, sum.sizeBytes(), sum.crc32c()));
    }

    private BackupManifest.SnapshotFile snapshot(BackupOffer.PartitionOffer p, Path dir)
            throws IOException, InterruptedException {
        BackupManifest.SnapshotFile offered = p.snapshot();
        String name = "partition-" + p.partition() + ".snapshot";
        ChecksummedFile.Checksum sum;
        try (ChecksummedFile file = new ChecksummedFile(dir.resolve(name));
                InputStream in = source.snapshot(p.partition(), offered.index())) {
            file.writeAll(in);
            sum = file.checksum();
        }
        if (sum.sizeBytes() != offered.sizeBytes() || sum.crc32c() != offered.crc32c()) {
            throw new BackupFailedException("partition " + p.partition() + ": the snapshot at index "
                    + offered.index() + " arrived as " + sum.sizeBytes() + " bytes with CRC-32C "
                    + Long.toHexString(sum.crc32c()) + ", the member stored " + offered.sizeBytes() + " bytes with "
                    + Long.toHexString(offered.crc32c()) + "; run the backup again");
        }
        return new BackupManifest.SnapshotFile(offered.index(), offered.epoch(), name, sum.sizeBytes(), sum.crc32c());
    }

    private static void refuseNonEmpty(Path target) throws IOException {
        if (!Files.exists(target)) return;
        if (!Files.isDirectory(target)) {
            throw new BackupFailedException(target + " exists and is not a directory: name a new or empty directory");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
            if (entries.iterator().hasNext()) {
                throw new BackupFailedException(
                        target + " is not empty: name a new or empty directory (a backup never overwrites one)");
            }
        }
    }

    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
