package io.understudy.sidecar.log;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Encodes and decodes log records. The record format is both the on-disk format of a segment file and the wire
 * format between peers: a leader ships the bytes of its log to followers without re-encoding them.
 *
 * <p>A record, all integers big-endian, strings UTF-8:
 *
 * <pre>
 * offset  size  field
 *      0     4  bodyLength   int, length of body in bytes, 37 .. 67108864 (MAX_RECORD_BYTES)
 *      4     4  crc          int, CRC-32C (java.util.zip.CRC32C) of the body bytes
 *      8     n  body:
 *                 0   1  version          byte, 1 (no idempotency key) or 2 (with one)
 *                 1   8  epoch            long, >= 1
 *                 9   8  index            long, >= 1
 *                17   8  timestamp        long, milliseconds since 1970-01-01T00:00Z
 *                25   4  keyLength        int, >= 0
 *                29   k  key              UTF-8 bytes
 *              29+k   4  contentTypeLen   int, >= 0
 *              33+k   c  contentType      UTF-8 bytes
 *   version 2 only:
 *            33+k+c   1  idemKeyLength    byte, 1 .. 128 (unsigned)
 *            34+k+c   i  idemKey          UTF-8 bytes, the client's Idempotency-Key
 *          34+k+c+i  32  requestHash      SHA-256 of the request ({@link IdempotencyKey#of})
 *   both versions (h = 0 in version 1, 33 + i in version 2):
 *          33+k+c+h   4  payloadLength    int, >= 0, and exactly the rest of the body
 *          37+k+c+h   p  payload          opaque bytes
 * </pre>
 *
 * <p>An entry without an idempotency key is written as version 1, byte for byte as before version 2 existed, so
 * logs written by earlier releases open unchanged and a keyless write costs nothing more. Version 2 is written
 * only for entries that carry an {@link IdempotencyKey}.
 *
 * <p>A record occupies {@code 8 + bodyLength} bytes; records are concatenated with no padding and no file header.
 * The partition is not stored: it is the log's (or the request's). Decoding refuses, with a {@link
 * CorruptRecordException}, a record cut short ({@code TORN}) and a record whose length is out of range, whose CRC
 * does not match, whose version is unknown or whose inner lengths do not add up to the body ({@code CORRUPT}). A
 * length in range but longer than the remaining bytes is reported as {@code TORN}: it is indistinguishable from a
 * write cut short.
 */
public final class RecordCodec {
    /** The version of a record without an idempotency key. */
    public static final byte VERSION = 1;
    /** The version of a record with an idempotency key. */
    public static final byte VERSION_IDEMPOTENT = 2;
    /** Bytes before the body: length and CRC. */
    public static final int HEADER_BYTES = 8;
    /** Body bytes of a version 1 record with an empty key, content type and payload. */
    public static final int FIXED_BODY_BYTES = 1 + 8 + 8 + 8 + 4 + 4 + 4;
    /** Largest body accepted, 64 MiB. */
    public static final int MAX_RECORD_BYTES = 64 << 20;

    private static final String BUFFER = "buffer";

    private RecordCodec() {}

    /** Bytes {@link #encode(Entry, ByteBuffer)} writes for {@code e}, header included. */
    public static int encodedSize(Entry e) {
        return HEADER_BYTES + bodySize(utf8(e.key()), utf8(e.contentType()), idemKey(e), e.payload());
    }

    /**
     * Writes one record at {@code out}'s position and advances it.
     *
     * @throws IllegalArgumentException when the body would exceed {@link #MAX_RECORD_BYTES}
     * @throws BufferOverflowException when {@code out} has too little room (nothing is written then)
     */
    public static void encode(Entry e, ByteBuffer out) {
        byte[] key = utf8(e.key());
        byte[] contentType = utf8(e.contentType());
        byte[] idemKey = idemKey(e);
        int bodyLength = bodySize(key, contentType, idemKey, e.payload());
        if (out.remaining() < HEADER_BYTES + bodyLength) throw new BufferOverflowException();
        ByteBuffer b = out.duplicate(); // always big-endian, whatever out's order
        int start = b.position();
        b.putInt(bodyLength).putInt(0);
        b.put(idemKey == null ? VERSION : VERSION_IDEMPOTENT);
        b.putLong(e.epoch()).putLong(e.index()).putLong(e.timestamp());
        b.putInt(key.length).put(key);
        b.putInt(contentType.length).put(contentType);
        if (idemKey != null)
            b.put((byte) idemKey.length).put(idemKey).put(e.idempotency().requestHash());
        b.putInt(e.payload().length).put(e.payload());
        CRC32C crc = new CRC32C();
        crc.update(b.duplicate().position(start + HEADER_BYTES).limit(b.position()));
        b.putInt(start + 4, (int) crc.getValue());
        out.position(b.position());
    }

    /** The records of {@code entries}, concatenated in order. */
    public static byte[] encode(List<Entry> entries) {
        long total = 0;
        for (Entry e : entries) total += encodedSize(e);
        if (total > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("batch of " + total + " bytes");
        ByteBuffer out = ByteBuffer.allocate((int) total);
        for (Entry e : entries) encode(e, out);
        return out.array();
    }

    /**
     * Reads the record at {@code in}'s position and advances past it. On failure {@code in}'s position is left
     * where the record starts; the exception's offset is that buffer position.
     */
    public static Entry decode(ByteBuffer in, int partition) throws CorruptRecordException {
        ByteBuffer b = in.duplicate(); // always big-endian, whatever in's order
        int start = b.position();
        if (b.remaining() < 4) throw torn(start, "needs 4 bytes for the length, " + b.remaining() + " remain");
        int bodyLength = b.getInt(start);
        if (bodyLength < FIXED_BODY_BYTES || bodyLength > MAX_RECORD_BYTES) {
            throw corrupt(
                    start, "body length " + bodyLength + " outside " + FIXED_BODY_BYTES + ".." + MAX_RECORD_BYTES);
        }
        if (b.remaining() < HEADER_BYTES + bodyLength) {
            throw torn(start, "record of " + (HEADER_BYTES + bodyLength) + " bytes, " + b.remaining() + " remain");
        }
        int end = start + HEADER_BYTES + bodyLength;
        int storedCrc = b.getInt(start + 4);
        CRC32C crc = new CRC32C();
        crc.update(b.duplicate().position(start + HEADER_BYTES).limit(end));
        if ((int) crc.getValue() != storedCrc) {
            throw corrupt(
                    start,
                    String.format("crc32c mismatch: stored %08x, computed %08x", storedCrc, (int) crc.getValue()));
        }
        b.position(start + HEADER_BYTES).limit(end);
        byte version = b.get();
        if (version != VERSION && version != VERSION_IDEMPOTENT) throw corrupt(start, "unknown version " + version);
        long epoch = b.getLong();
        long index = b.getLong();
        long timestamp = b.getLong();
        if (epoch < 1 || index < 1) throw corrupt(start, "epoch " + epoch + " or index " + index + " below 1");
        String key = readString(b, start, "key", 8);
        String contentType = readString(b, start, "content type", 4);
        IdempotencyKey idempotency = version == VERSION_IDEMPOTENT ? readIdempotency(b, start) : null;
        int payloadLength = b.getInt();
        if (payloadLength != b.remaining()) {
            throw corrupt(start, "payload length " + payloadLength + " but " + b.remaining() + " body bytes remain");
        }
        byte[] payload = new byte[payloadLength];
        b.get(payload);
        in.position(end);
        return new Entry(partition, epoch, index, timestamp, key, contentType, payload, idempotency);
    }

    /** Decodes records until {@code in} has no bytes left. */
    public static List<Entry> decodeAll(ByteBuffer in, int partition) throws CorruptRecordException {
        List<Entry> entries = new ArrayList<>();
        while (in.hasRemaining()) entries.add(decode(in, partition));
        return entries;
    }

    private static String readString(ByteBuffer b, int start, String what, int bytesAfter)
            throws CorruptRecordException {
        int length = b.getInt();
        if (length < 0 || length > b.remaining() - bytesAfter) {
            throw corrupt(start, what + " length " + length + " does not fit the body");
        }
        byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static IdempotencyKey readIdempotency(ByteBuffer b, int start) throws CorruptRecordException {
        int length = Byte.toUnsignedInt(b.get());
        if (length < 1
                || length > IdempotencyKey.MAX_KEY_BYTES
                || length + IdempotencyKey.HASH_BYTES + 4 > b.remaining()) {
            throw corrupt(start, "idempotency key length " + length + " out of range or does not fit the body");
        }
        byte[] key = new byte[length];
        b.get(key);
        byte[] hash = new byte[IdempotencyKey.HASH_BYTES];
        b.get(hash);
        try {
            return new IdempotencyKey(new String(key, StandardCharsets.UTF_8), hash);
        } catch (IllegalArgumentException e) { // bytes that are not UTF-8 may decode to another length
            throw corrupt(start, e.getMessage());
        }
    }

    /** The UTF-8 bytes of the entry's idempotency key, or null when it has none. */
    private static byte[] idemKey(Entry e) {
        return e.idempotency() == null ? null : utf8(e.idempotency().key());
    }

    private static int bodySize(byte[] key, byte[] contentType, byte[] idemKey, byte[] payload) {
        long size = (long) FIXED_BODY_BYTES + key.length + contentType.length + payload.length;
        if (idemKey != null) size += 1 + idemKey.length + IdempotencyKey.HASH_BYTES;
        if (size > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("record body of " + size + " bytes exceeds " + MAX_RECORD_BYTES);
        }
        return (int) size;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static CorruptRecordException torn(int offset, String why) {
        return new CorruptRecordException(CorruptRecordException.Kind.TORN, BUFFER, offset, why);
    }

    private static CorruptRecordException corrupt(int offset, String why) {
        return new CorruptRecordException(CorruptRecordException.Kind.CORRUPT, BUFFER, offset, why);
    }
}
