package io.understudy.sidecar.log;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One segment file of a {@link SegmentedLog}: the records from {@link #baseIndex()} on, with the file position
 * and epoch of each. Holds no lock: {@link SegmentedLog} publishes changes under its write lock and reads under its
 * read lock.
 */
final class Segment implements Closeable {
    static final String SUFFIX = ".log";

    private final Path file;
    private final long baseIndex;
    private final FileChannel channel;
    private final LongList positions = new LongList();
    private final LongList epochs = new LongList();
    private long size;

    private Segment(Path file, long baseIndex, FileChannel channel) {
        this.file = file;
        this.baseIndex = baseIndex;
        this.channel = channel;
    }

    /** Opens (creating if missing) the segment file; its records are not yet indexed ({@link #add}). */
    static Segment open(Path dir, long baseIndex) throws IOException {
        Path file = dir.resolve(fileName(baseIndex));
        FileChannel channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new Segment(file, baseIndex, channel);
    }

    /** {@code 00000000000000000001.log} for base index 1. */
    static String fileName(long baseIndex) {
        return String.format("%020d%s", baseIndex, SUFFIX);
    }

    Path file() {
        return file;
    }

    long baseIndex() {
        return baseIndex;
    }

    FileChannel channel() {
        return channel;
    }

    int count() {
        return positions.size();
    }

    /** Index of the last record, {@code baseIndex - 1} when empty. */
    long lastIndex() {
        return baseIndex + count() - 1;
    }

    /** Bytes of whole, indexed records; the file may be longer while an append is in flight. */
    long size() {
        return size;
    }

    long positionOf(long index) {
        return positions.get(slot(index));
    }

    /** File position just past the record at {@code index}. */
    long endOf(long index) {
        int next = slot(index) + 1;
        return next == count() ? size : positions.get(next);
    }

    long epochOf(long index) {
        return epochs.get(slot(index));
    }

    /** Indexes the next record, which occupies {@code [position, end)}. */
    void add(long position, long epoch, long end) {
        if (position != size) throw new IllegalStateException(file + ": record at " + position + ", end is " + size);
        positions.add(position);
        epochs.add(epoch);
        size = end;
    }

    /** Keeps the first {@code keep} records and cuts the file after them (not forced). */
    void truncateTo(int keep) throws IOException {
        long newSize = keep == count() ? size : positions.get(keep);
        channel.truncate(newSize);
        positions.truncate(keep);
        epochs.truncate(keep);
        size = newSize;
    }

    /** The last index in {@code [first, last]} whose record ends within {@code budget} bytes of first's start. */
    long lastWithin(long first, long last, long budget) {
        long start = positionOf(first);
        long upTo = first;
        while (upTo < last && endOf(upTo + 1) - start <= budget) upTo++;
        return upTo;
    }

    /** Decodes the record at {@code buf}'s position, read from file position {@code bufStart}, as {@code index}. */
    Entry decode(ByteBuffer buf, long bufStart, long index, int partition) throws CorruptRecordException {
        long offset = bufStart + buf.position();
        Entry e;
        try {
            e = RecordCodec.decode(buf, partition);
        } catch (CorruptRecordException ex) {
            throw ex.in(file.toString(), bufStart);
        }
        if (e.index() == index) return e;
        throw new CorruptRecordException(
                CorruptRecordException.Kind.CORRUPT,
                file.toString(),
                offset,
                "index " + e.index() + " where " + index + " was expected");
    }

    /** Reads {@code [from, to)} of the file fully. */
    ByteBuffer read(long from, long to) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(to - from));
        readFully(buf, from);
        buf.flip();
        return buf;
    }

    /** Fills {@code buf} from file position {@code from}; stops early only at the end of the file. */
    int readFully(ByteBuffer buf, long from) throws IOException {
        int total = 0;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, from + total);
            if (n < 0) break;
            total += n;
        }
        return total;
    }

    /** Writes all of {@code buf} at file position {@code at}. */
    void writeFully(ByteBuffer buf, long at) throws IOException {
        long pos = at;
        while (buf.hasRemaining()) pos += channel.write(buf, pos);
    }

    private int slot(long index) {
        long slot = index - baseIndex;
        if (slot < 0 || slot >= count()) throw new IndexOutOfBoundsException(index + " not in " + file);
        return (int) slot;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return file.getFileName() + "[" + baseIndex + ".." + lastIndex() + ", " + size + " bytes]";
    }
}
