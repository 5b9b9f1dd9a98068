package io.understudy.sidecar.log;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The seal of a full segment (file {@code <base>.seal} beside {@code <base>.log}), written once, atomically, when
 * the log rolls past the segment, after the segment's data was forced: what recovery needs to serve the segment
 * without reading it, and what proves it unchanged. Binary, big-endian:
 *
 * <pre>
 *   int   magic 0x55534731 ("USG1")
 *   long  baseIndex, long count, long sizeBytes
 *   int   crc32c of the segment's sizeBytes bytes
 *   long  maxTimestamp (the newest entry's, milliseconds)
 *   int   runs, then per run:   long firstIndex, long epoch     (one run per epoch change)
 *   int   points, then per point: long index, long position     (the sparse index)
 *   int   crc32c of every byte above
 * </pre>
 */
record SegmentSeal(
        long baseIndex,
        long count,
        long sizeBytes,
        int crc,
        long maxTimestamp,
        long[] runStarts,
        long[] runEpochs,
        long[] pointIndexes,
        long[] pointPositions) {
    static final String SUFFIX = ".seal";
    private static final int MAGIC = 0x55534731;

    /** {@code 00000000000000000001.seal} for base index 1. */
    static String fileName(long baseIndex) {
        return String.format("%020d%s", baseIndex, SUFFIX);
    }

    /** Writes the seal file atomically and durably. */
    void write(Path dir) throws IOException {
        int bytes = 4 + 8 * 3 + 4 + 8 + 4 + 16 * runStarts.length + 4 + 16 * pointIndexes.length + 4;
        ByteBuffer b = ByteBuffer.allocate(bytes);
        b.putInt(MAGIC)
                .putLong(baseIndex)
                .putLong(count)
                .putLong(sizeBytes)
                .putInt(crc)
                .putLong(maxTimestamp);
        b.putInt(runStarts.length);
        for (int i = 0; i < runStarts.length; i++) b.putLong(runStarts[i]).putLong(runEpochs[i]);
        b.putInt(pointIndexes.length);
        for (int i = 0; i < pointIndexes.length; i++) b.putLong(pointIndexes[i]).putLong(pointPositions[i]);
        b.putInt(crcOf(b.array(), bytes - 4));
        AtomicFiles.write(dir.resolve(fileName(baseIndex)), b.array());
    }

    /**
     * The seal of the segment at {@code baseIndex}, or null when there is none. A seal that does not check out
     * (damaged, or for another base) is an IOException: the caller reads the segment instead.
     */
    static SegmentSeal read(Path dir, long baseIndex) throws IOException {
        Path file = dir.resolve(fileName(baseIndex));
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            if (bytes.length < 4 || b.getInt(bytes.length - 4) != crcOf(bytes, bytes.length - 4)) {
                throw new IOException("seal " + file + " fails its checksum");
            }
            if (b.getInt() != MAGIC) throw new IOException("seal " + file + " has no seal magic");
            long base = b.getLong();
            long count = b.getLong();
            long size = b.getLong();
            int crc = b.getInt();
            long maxTimestamp = b.getLong();
            int runs = b.getInt();
            long[] starts = new long[runs];
            long[] epochs = new long[runs];
            for (int i = 0; i < runs; i++) {
                starts[i] = b.getLong();
                epochs[i] = b.getLong();
            }
            int points = b.getInt();
            long[] indexes = new long[points];
            long[] positions = new long[points];
            for (int i = 0; i < points; i++) {
                indexes[i] = b.getLong();
                positions[i] = b.getLong();
            }
            if (base != baseIndex || count < 1 || runs < 1 || points < 1 || starts[0] != base) {
                throw new IOException("seal " + file + " does not describe segment " + baseIndex);
            }
            return new SegmentSeal(base, count, size, crc, maxTimestamp, starts, epochs, indexes, positions);
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new IOException("seal " + file + " is cut short or damaged", e);
        }
    }

    private static int crcOf(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }
}
