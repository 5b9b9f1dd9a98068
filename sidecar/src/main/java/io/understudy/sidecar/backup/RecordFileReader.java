package io.understudy.sidecar.backup;

import io.understudy.sidecar.log.CorruptRecordException;
import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.RecordCodec;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a backup's log file ({@link RecordCodec} records, concatenated) one record at a time, each checksum checked,
 * holding one record in memory however long the file is.
 */
final class RecordFileReader implements Closeable {
    private final InputStream in;
    private final Path file;
    private final int partition;

    RecordFileReader(Path file, int partition) throws IOException {
        this.in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        this.file = file;
        this.partition = partition;
    }

    /**
     * The next entry, or null at the end of the file.
     *
     * @throws CorruptBackupException when a record is cut short or does not decode
     */
    Entry next() throws IOException {
        byte[] length = in.readNBytes(4);
        if (length.length == 0) return null;
        if (length.length < 4) throw new CorruptBackupException(file + " ends inside a record's length");
        int bodyLength = ByteBuffer.wrap(length).getInt();
        if (bodyLength < RecordCodec.FIXED_BODY_BYTES || bodyLength > RecordCodec.MAX_RECORD_BYTES) {
            throw new CorruptBackupException(file + " holds a record of impossible length " + bodyLength);
        }
        byte[] record = new byte[RecordCodec.HEADER_BYTES + bodyLength];
        System.arraycopy(length, 0, record, 0, 4);
        try {
            int read = in.readNBytes(record, 4, record.length - 4);
            if (read < record.length - 4) throw new EOFException();
            return RecordCodec.decode(ByteBuffer.wrap(record), partition);
        } catch (EOFException e) {
            throw new CorruptBackupException(file + " ends inside a record: the backup is incomplete");
        } catch (CorruptRecordException e) {
            throw new CorruptBackupException(file + " holds a damaged record: " + e.getMessage());
        }
    }

    /** Up to {@code max} next entries; empty at the end of the file. */
    List<Entry> next(int max) throws IOException {
        List<Entry> batch = new ArrayList<>();
        for (Entry e; batch.size() < max && (e = next()) != null; ) batch.add(e);
        return batch;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
