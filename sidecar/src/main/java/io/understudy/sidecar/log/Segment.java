package io.understudy.sidecar.log;

import io.understudy.sidecar.log.CorruptRecordException.Kind;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * One segment file of a {@link SegmentedLog}: the records from {@link #baseIndex()} on. Memory does not grow with
 * its entries: it keeps a sparse index (the position of one record every {@link #INDEX_INTERVAL_BYTES} bytes),
 * the runs of equal epochs (one pair per epoch change), and the running CRC-32C of its bytes. A read seeks to the
 * nearest index point at or before the index it wants and walks the record lengths from there. A full segment is
 * {@link #seal sealed}: its {@link SegmentSeal} lets the next open serve it without reading it.
 *
 * <p>Holds no lock: {@link SegmentedLog} publishes changes under its write lock and reads under its read lock.
 */
final class Segment implements Closeable {
    static final String SUFFIX = ".log";
    /** At most this many bytes between two index points (plus one record). */
    static final long INDEX_INTERVAL_BYTES = 4096;

    private static final int MIN_WINDOW = 64 << 10;
    private static final int MAX_WINDOW = 8 << 20;

    private final Path file;
    private final long baseIndex;
    private final FileChannel channel;
    private final LongList pointIndexes = new LongList();
    private final LongList pointPositions = new LongList();
    private final LongList runStarts = new LongList();
    private final LongList runEpochs = new LongList();
    private CRC32C crc = new CRC32C(); // of bytes [0, size) while not sealed
    private long count;
    private long size;
    private long maxTimestamp = Long.MIN_VALUE;
    private SegmentSeal seal;

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

    /** Opens a sealed segment, indexed from its seal without reading it. */
    static Segment openSealed(Path dir, SegmentSeal seal) throws IOException {
        Segment seg = open(dir, seal.baseIndex());
        for (int i = 0; i < seal.runStarts().length; i++) {
            seg.runStarts.add(seal.runStarts()[i]);
            seg.runEpochs.add(seal.runEpochs()[i]);
        }
        for (int i = 0; i < seal.pointIndexes().length; i++) {
            seg.pointIndexes.add(seal.pointIndexes()[i]);
            seg.pointPositions.add(seal.pointPositions()[i]);
        }
        seg.count = seal.count();
        seg.size = seal.sizeBytes();
        seg.maxTimestamp = seal.maxTimestamp();
        seg.seal = seal;
        seg.crc = null;
        return seg;
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

    long count() {
        return count;
    }

    /** Index of the last record, {@code baseIndex - 1} when empty. */
    long lastIndex() {
        return baseIndex + count - 1;
    }

    /** Bytes of whole, indexed records; the file may be longer while an append is in flight. */
    long size() {
        return size;
    }

    /** The newest entry timestamp (milliseconds), {@code Long.MIN_VALUE} when empty. */
    long maxTimestamp() {
        return maxTimestamp;
    }

    boolean sealed() {
        return seal != null;
    }

    SegmentSeal seal() {
        return seal;
    }

    /** How many sparse index points this segment keeps in memory. */
    int indexPoints() {
        return pointIndexes.size();
    }

    long epochOf(long index) {
        check(index);
        int lo = 0;
        int hi = runStarts.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (runStarts.get(mid) <= index) lo = mid;
            else hi = mid - 1;
        }
        return runEpochs.get(lo);
    }

    /** Indexes the next record, which occupies {@code [position, end)}. */
    void add(long position, long epoch, long end, long timestamp) {
        if (position != size) throw new IllegalStateException(file + ": record at " + position + ", end is " + size);
        if (seal != null) throw new IllegalStateException(file + " is sealed");
        long index = baseIndex + count;
        if (count == 0 || position - pointPositions.get(pointPositions.size() - 1) >= INDEX_INTERVAL_BYTES) {
            pointIndexes.add(index);
            pointPositions.add(position);
        }
        if (count == 0 || runEpochs.get(runEpochs.size() - 1) != epoch) {
            runStarts.add(index);
            runEpochs.add(epoch);
        }
        count++;
        size = end;
        maxTimestamp = Math.max(maxTimestamp, timestamp);
    }

    /** Adds bytes just written (or found good) at the end to the running checksum. */
    void checksum(ByteBuffer bytes) {
        crc.update(bytes);
    }

    /** Records the seal of this full segment (its data must be forced first) and writes it to {@code dir}. */
    void seal(Path dir) throws IOException {
        long[][] points = {pointIndexes.toArray(), pointPositions.toArray()};
        SegmentSeal made = new SegmentSeal(
                baseIndex,
                count,
                size,
                (int) crc.getValue(),
                maxTimestamp,
                runStarts.toArray(),
                runEpochs.toArray(),
                points[0],
                points[1]);
        made.write(dir);
        seal = made;
    }

    /** Keeps the records up to {@code lastKept} and cuts the file after them (not forced); the seal no longer holds. */
    void truncateAfter(long lastKept) throws IOException {
        long newSize = lastKept < baseIndex ? 0 : endOf(lastKept);
        channel.truncate(newSize);
        count = lastKept - baseIndex + 1;
        size = newSize;
        int points = pointIndexes.size();
        while (points > 0 && pointIndexes.get(points - 1) > lastKept) points--;
        pointIndexes.truncate(points);
        pointPositions.truncate(points);
        int runs = runStarts.size();
        while (runs > 0 && runStarts.get(runs - 1) > lastKept) runs--;
        runStarts.truncate(runs);
        runEpochs.truncate(runs);
        seal = null;
        crc = new CRC32C();
        for (long pos = 0; pos < newSize; pos += MAX_WINDOW) checksum(read(pos, Math.min(newSize, pos + MAX_WINDOW)));
    }

    /**
     * The bytes of the records from {@code first} to at most {@code last}: as many as end within {@code budget} bytes
     * of {@code first}'s start, at least one. The chunk's last index tells how many.
     */
    Chunk readFrom(long first, long last, long budget) throws IOException {
        check(first);
        check(last);
        Walk walk = walkTo(first, budget);
        long start = walk.pos;
        long end = walk.next();
        long upTo = first;
        while (upTo < last) {
            long nextEnd = walk.next();
            if (nextEnd - start > budget) break;
            end = nextEnd;
            upTo++;
        }
        return new Chunk(walk.copy(start, end), start, upTo);
    }

    /** The records from file position {@code start} on as stored, up to {@code lastIndex}. */
    record Chunk(ByteBuffer bytes, long start, long lastIndex) {}

    /** File position just past the record at {@code index}. */
    private long endOf(long index) throws IOException {
        return walkTo(index, 0).next();
    }

    /** A walk positioned at the start of {@code index}'s record, from the nearest index point at or before it. */
    private Walk walkTo(long index, long budget) throws IOException {
        int lo = 0;
        int hi = pointIndexes.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (pointIndexes.get(mid) <= index) lo = mid;
            else hi = mid - 1;
        }
        long window = Math.min(budget, MAX_WINDOW) + 3 * INDEX_INTERVAL_BYTES; // the point is before index's record
        Walk walk = new Walk(pointPositions.get(lo), (int) Math.min(MAX_WINDOW, Math.max(MIN_WINDOW, window)));
        for (long i = pointIndexes.get(lo); i < index; i++) walk.next();
        return walk;
    }

    /** Reads record lengths forward from a position through a window of the file. */
    private final class Walk {
        private final int windowBytes;
        private ByteBuffer window = ByteBuffer.allocate(0);
        private long windowStart;
        long pos;

        Walk(long pos, int windowBytes) {
            this.pos = pos;
            this.windowBytes = windowBytes;
        }

        /** Steps over the record at {@link #pos}; returns (and moves to) its end. */
        long next() throws IOException {
            if (pos + 4 > windowStart + window.limit()) fill(pos, 4);
            if (pos + 4 > windowStart + window.limit()) {
                throw new CorruptRecordException(
                        Kind.CORRUPT, file.toString(), pos, "the file ends before the record it indexed");
            }
            int body = window.getInt((int) (pos - windowStart));
            if (body < RecordCodec.FIXED_BODY_BYTES || body > RecordCodec.MAX_RECORD_BYTES || pos + 8 + body > size) {
                throw new CorruptRecordException(
                        Kind.CORRUPT,
                        file.toString(),
                        pos,
                        "body length " + body + " does not fit the segment (" + size
                                + " bytes): the file changed after it was indexed");
            }
            pos += RecordCodec.HEADER_BYTES + body;
            return pos;
        }

        /** A copy of {@code [from, to)}, from the window when it holds them. */
        ByteBuffer copy(long from, long to) throws IOException {
            if (from < windowStart || to > windowStart + window.limit()) return read(from, to);
            ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(to - from));
            out.put(window.duplicate().position((int) (from - windowStart)).limit((int) (to - windowStart)));
            return out.flip();
        }

        private void fill(long from, int atLeast) throws IOException {
            long want = Math.min(size - from, Math.max(windowBytes, atLeast));
            window = read(from, from + want);
            windowStart = from;
        }
    }

    /** Checks the file's bytes against the seal's CRC-32C; reads the whole file. */
    void verify() throws IOException {
        if (seal == null) return;
        CRC32C computed = new CRC32C();
        long fileSize = channel.size();
        for (long pos = 0; pos < fileSize; pos += MAX_WINDOW) {
            computed.update(read(pos, Math.min(fileSize, pos + MAX_WINDOW)));
        }
        if (fileSize != seal.sizeBytes() || (int) computed.getValue() != seal.crc()) {
            throw new CorruptRecordException(
                    Kind.CORRUPT,
                    file.toString(),
                    0,
                    String.format(
                            "sealed segment changed on disk: %d bytes with crc32c %08x, sealed as %d bytes with"
                                    + " crc32c %08x",
                            fileSize, (int) computed.getValue(), seal.sizeBytes(), seal.crc()));
        }
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

    private void check(long index) {
        if (index < baseIndex || index > lastIndex()) throw new IndexOutOfBoundsException(index + " not in " + file);
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
