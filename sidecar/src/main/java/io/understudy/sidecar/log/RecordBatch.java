package io.understudy.sidecar.log;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Consecutive log records in their stored form ({@link RecordCodec}: each with its CRC-32C), which a leader ships to
 * its followers as read from its segments, without decoding or re-encoding them, together with their entries.
 * Built from stored bytes ({@link PartitionLog#readRecords}; decoded, every checksum checked, only if the entries
 * are asked for), from bytes already decoded (a follower's request body), or from entries (encoded once).
 */
public final class RecordBatch {
    private static final RecordBatch EMPTY = new RecordBatch(-1, 0, new byte[0], List.of());

    private final int partition;
    private final int count;
    private final byte[] bytes;
    private List<Entry> entries; // guarded by this; null until decoded

    private RecordBatch(int partition, int count, byte[] bytes, List<Entry> entries) {
        this.partition = partition;
        this.count = count;
        this.bytes = bytes;
        this.entries = entries;
    }

    /** {@code count} records of {@code partition} as stored; the caller does not change {@code bytes} afterwards. */
    public static RecordBatch stored(int partition, int count, byte[] bytes) {
        return count == 0 ? EMPTY : new RecordBatch(partition, count, bytes, null);
    }

    /** Bytes and the entries already decoded from them, checksums checked. */
    public static RecordBatch decoded(byte[] bytes, List<Entry> entries) {
        if (entries.isEmpty()) return EMPTY;
        return new RecordBatch(entries.get(0).partition(), entries.size(), bytes, List.copyOf(entries));
    }

    /** Entries encoded in the log's format. */
    public static RecordBatch of(List<Entry> entries) {
        return entries.isEmpty() ? EMPTY : decoded(RecordCodec.encode(entries), entries);
    }

    public int count() {
        return count;
    }

    /** The records' bytes, as stored; not to be changed. */
    public byte[] bytes() {
        return bytes;
    }

    /**
     * The records decoded, each checksum checked.
     *
     * @throws IllegalStateException when stored bytes do not decode (a log damaged after it was opened)
     */
    public synchronized List<Entry> entries() {
        if (entries == null) {
            try {
                List<Entry> decoded = RecordCodec.decodeAll(ByteBuffer.wrap(bytes), partition);
                if (decoded.size() != count) {
                    throw new IllegalStateException("records hold " + decoded.size() + " entries, not " + count);
                }
                entries = List.copyOf(decoded);
            } catch (CorruptRecordException e) {
                throw new IllegalStateException("stored records do not decode: " + e.getMessage(), e);
            }
        }
        return entries;
    }

    @Override
    public String toString() {
        return "RecordBatch[" + count + " records, " + bytes.length + " bytes]";
    }
}
