package io.understudy.sidecar.backup;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A new file written front to back while its size and CRC-32C are counted; {@link #close()} forces it to disk. What a
 * backup records for each file it writes, and {@link #checksum} what a restore checks against that.
 */
final class ChecksummedFile implements Closeable {
    /** A file's size and CRC-32C. */
    record Checksum(long sizeBytes, long crc32c) {}

    private final FileChannel channel;
    private final CRC32C crc = new CRC32C();
    private long size;

    ChecksummedFile(Path file) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
        while (buffer.hasRemaining()) channel.write(buffer);
        crc.update(bytes, offset, length);
        size += length;
    }

    /** Copies {@code in} to its end into this file. */
    void writeAll(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) >= 0; ) write(buffer, 0, n);
    }

    Checksum checksum() {
        return new Checksum(size, crc.getValue());
    }

    @Override
    public void close() throws IOException {
        try {
            channel.force(true);
        } finally {
            channel.close();
        }
    }

    /** Size and CRC-32C of an existing file, read to its end. */
    static Checksum checksum(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        long size = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                crc.update(buffer, 0, n);
                size += n;
            }
        }
        return new Checksum(size, crc.getValue());
    }
}
