package io.understudy.sidecar.log;

import static io.understudy.sidecar.log.LogFixtures.entries;
import static io.understudy.sidecar.log.LogFixtures.entry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.log.CorruptRecordException.Kind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class RecordCodecTest {

    @Test
    void roundTripKeepsEveryField() throws Exception {
        Entry e = new Entry(3, 7, 42, 123456789L, "clé-🔑", "application/json", new byte[] {1, 2, 3, 0, -1});
        byte[] bytes = RecordCodec.encode(List.of(e));
        assertEquals(RecordCodec.encodedSize(e), bytes.length);
        Entry back = RecordCodec.decode(ByteBuffer.wrap(bytes), 3);
        assertSame(e, back);
    }

    @Test
    void roundTripWithEmptyKeyContentTypeAndPayload() throws Exception {
        Entry e = new Entry(0, 1, 1, 0, "", "", new byte[0]);
        byte[] bytes = RecordCodec.encode(List.of(e));
        assertEquals(RecordCodec.HEADER_BYTES + RecordCodec.FIXED_BODY_BYTES, bytes.length);
        assertSame(e, RecordCodec.decode(ByteBuffer.wrap(bytes), 0));
    }

    @Test
    void entryWithIdempotencyKeyRoundTripsAsVersion2() throws Exception {
        byte[] payload = "{\"price\":3}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        IdempotencyKey idem = IdempotencyKey.of("order-7f3a", "item-1", "application/json", payload);
        Entry e = new Entry(1, 4, 9, 1_700_000_000_123L, "item-1", "application/json", payload, idem);
        byte[] bytes = RecordCodec.encode(List.of(e));
        assertEquals(RecordCodec.encodedSize(e), bytes.length);
        assertEquals(2, bytes[RecordCodec.HEADER_BYTES], "version byte");
        Entry back = RecordCodec.decode(ByteBuffer.wrap(bytes), 1);
        assertSame(e, back);
        assertEquals(idem, back.idempotency());
    }

    @Test
    void keylessEntryIsStillWrittenAsVersion1() {
        byte[] bytes = RecordCodec.encode(List.of(entry(1, 1)));
        assertEquals(1, bytes[RecordCodec.HEADER_BYTES], "version byte");
    }

    @Test
    void version1RecordWrittenByEarlierReleasesIsStillRead() throws Exception {
        // Built by hand in the version 1 layout, as logs written before version 2 existed hold it.
        byte[] key = "k".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(RecordCodec.FIXED_BODY_BYTES + key.length + 2);
        body.put((byte) 1)
                .putLong(3)
                .putLong(5)
                .putLong(77)
                .putInt(key.length)
                .put(key)
                .putInt(0);
        body.putInt(2).put(new byte[] {9, 8});
        Entry e = RecordCodec.decode(record(body.array()), 0);
        assertEquals(new Position(3, 5), e.position());
        assertEquals("k", e.key());
        assertArrayEquals(new byte[] {9, 8}, e.payload());
        assertEquals(null, e.idempotency());
    }

    @Test
    void everyFlippedBitOfAVersion2RecordIsDetected() {
        IdempotencyKey idem = IdempotencyKey.of("retry-me", "k", "", new byte[] {1});
        assertEveryFlippedBitIsDetected(
                RecordCodec.encode(List.of(new Entry(0, 1, 1, 0, "k", "", new byte[] {1}, idem))));
    }

    @Test
    void version2WithAnIdempotencyKeyLengthOutOfRangeIsCorruptEvenWithAGoodCrc() {
        ByteBuffer body = ByteBuffer.allocate(RecordCodec.FIXED_BODY_BYTES + 1 + IdempotencyKey.HASH_BYTES);
        body.put((byte) 2).putLong(1).putLong(1).putLong(0).putInt(0).putInt(0);
        body.put((byte) 0).put(new byte[IdempotencyKey.HASH_BYTES]).putInt(0);
        CorruptRecordException ex = decodeBody(body.array());
        assertEquals(Kind.CORRUPT, ex.kind());
        assertTrue(ex.getMessage().contains("idempotency key"), ex.getMessage());
    }

    @Test
    void decodeAllReadsConcatenatedRecordsAndAdvances() throws Exception {
        List<Entry> in = entries(2, 1, 5);
        ByteBuffer buf = ByteBuffer.wrap(RecordCodec.encode(in));
        List<Entry> out = RecordCodec.decodeAll(buf, 0);
        assertEquals(5, out.size());
        for (int i = 0; i < 5; i++) assertSame(in.get(i), out.get(i));
        assertEquals(0, buf.remaining());
    }

    @Test
    void encodeWritesAtPositionAndIgnoresByteOrder() throws Exception {
        Entry e = entry(1, 1);
        ByteBuffer out = ByteBuffer.allocate(10 + RecordCodec.encodedSize(e)).order(ByteOrder.LITTLE_ENDIAN);
        out.position(10);
        RecordCodec.encode(e, out);
        assertEquals(out.capacity(), out.position());
        byte[] tail = Arrays.copyOfRange(out.array(), 10, out.capacity());
        assertArrayEquals(RecordCodec.encode(List.of(e)), tail);
        ByteBuffer in =
                ByteBuffer.wrap(out.array()).order(ByteOrder.LITTLE_ENDIAN).position(10);
        assertSame(e, RecordCodec.decode(in, 0));
    }

    @Test
    void everyFlippedBitIsDetected() {
        assertEveryFlippedBitIsDetected(RecordCodec.encode(List.of(entry(1, 1))));
    }

    private static void assertEveryFlippedBitIsDetected(byte[] good) {
        for (int bit = 0; bit < good.length * 8; bit++) {
            byte[] bad = good.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            int b = bit;
            CorruptRecordException ex = assertThrows(
                    CorruptRecordException.class, () -> RecordCodec.decode(ByteBuffer.wrap(bad), 0), () -> "bit " + b);
            // A flipped length bit may make the record look longer than the buffer: indistinguishable from torn.
            if (bit >= 32) assertEquals(Kind.CORRUPT, ex.kind(), "bit " + bit);
        }
    }

    @Test
    void crcMismatchNamesOffsetAndReason() {
        byte[] two = RecordCodec.encode(entries(1, 1, 2));
        int second = RecordCodec.encodedSize(entry(1, 1));
        two[two.length - 1] ^= 0x10;
        ByteBuffer buf = ByteBuffer.wrap(two);
        CorruptRecordException ex = assertThrows(CorruptRecordException.class, () -> RecordCodec.decodeAll(buf, 0));
        assertEquals(Kind.CORRUPT, ex.kind());
        assertEquals(second, ex.offset());
        assertEquals(second, buf.position(), "position stays at the bad record");
        assertTrue(ex.getMessage().contains("crc32c mismatch"), ex.getMessage());
    }

    @Test
    void tornRecordIsTornAtEveryCut() {
        byte[] good = RecordCodec.encode(List.of(entry(1, 1)));
        for (int len = 1; len < good.length; len++) {
            ByteBuffer cut = ByteBuffer.wrap(Arrays.copyOf(good, len));
            CorruptRecordException ex = assertThrows(CorruptRecordException.class, () -> RecordCodec.decode(cut, 0));
            assertEquals(Kind.TORN, ex.kind(), "cut at " + len);
            assertEquals(0, cut.position());
        }
    }

    @Test
    void garbageIsCorrupt() {
        byte[] garbage = new byte[200];
        Arrays.fill(garbage, (byte) 0xA5);
        CorruptRecordException ex =
                assertThrows(CorruptRecordException.class, () -> RecordCodec.decode(ByteBuffer.wrap(garbage), 0));
        assertEquals(Kind.CORRUPT, ex.kind());
        assertTrue(ex.getMessage().contains("body length"), ex.getMessage());
    }

    @Test
    void lengthsThatDoNotAddUpAreCorruptEvenWithAGoodCrc() {
        // A well-formed header and CRC around a body whose key length overruns it: a writer bug, not bit rot.
        ByteBuffer body = ByteBuffer.allocate(RecordCodec.FIXED_BODY_BYTES);
        body.put(RecordCodec.VERSION)
                .putLong(1)
                .putLong(1)
                .putLong(0)
                .putInt(1000)
                .putInt(0)
                .putInt(0);
        assertEquals(Kind.CORRUPT, decodeBody(body.array()).kind());

        ByteBuffer v3 = ByteBuffer.allocate(RecordCodec.FIXED_BODY_BYTES);
        v3.put((byte) 3).putLong(1).putLong(1).putLong(0).putInt(0).putInt(0).putInt(0);
        CorruptRecordException ex = decodeBody(v3.array());
        assertTrue(ex.getMessage().contains("version"), ex.getMessage());
    }

    @Test
    void oversizedRecordIsRefusedOnEncode() {
        Entry big = new Entry(0, 1, 1, 0, "", "", new byte[RecordCodec.MAX_RECORD_BYTES]);
        assertThrows(IllegalArgumentException.class, () -> RecordCodec.encodedSize(big));
    }

    private static CorruptRecordException decodeBody(byte[] body) {
        ByteBuffer rec = record(body);
        return assertThrows(CorruptRecordException.class, () -> RecordCodec.decode(rec, 0));
    }

    /** A record around {@code body}, with its length and a correct CRC. */
    private static ByteBuffer record(byte[] body) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(body);
        ByteBuffer rec = ByteBuffer.allocate(8 + body.length);
        rec.putInt(body.length).putInt((int) crc.getValue()).put(body).flip();
        return rec;
    }

    static void assertSame(Entry expected, Entry actual) {
        assertEquals(expected.partition(), actual.partition());
        assertEquals(expected.position(), actual.position());
        assertEquals(expected.timestamp(), actual.timestamp());
        assertEquals(expected.key(), actual.key());
        assertEquals(expected.contentType(), actual.contentType());
        assertArrayEquals(expected.payload(), actual.payload());
    }
}
