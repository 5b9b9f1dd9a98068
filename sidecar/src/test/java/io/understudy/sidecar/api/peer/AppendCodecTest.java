package io.understudy.sidecar.api.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.RecordBatch;
import io.understudy.sidecar.log.RecordCodec;
import io.understudy.sidecar.replication.AppendRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AppendCodecTest {
    private static final AppendRequest REQUEST = new AppendRequest(
            2,
            7,
            "node-ü",
            41,
            6,
            40,
            List.of(
                    new Entry(2, 7, 42, 1000, "key", "application/json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8)),
                    new Entry(2, 7, 43, 1001, "", "", new byte[0])));

    @Test
    void roundTripsEveryField() {
        AppendRequest decoded = AppendCodec.decode(AppendCodec.encode(REQUEST));

        assertEquals(REQUEST.partition(), decoded.partition());
        assertEquals(REQUEST.epoch(), decoded.epoch());
        assertEquals(REQUEST.leader(), decoded.leader());
        assertEquals(REQUEST.prevIndex(), decoded.prevIndex());
        assertEquals(REQUEST.prevEpoch(), decoded.prevEpoch());
        assertEquals(REQUEST.commitIndex(), decoded.commitIndex());
        assertEquals(2, decoded.entries().size());
        assertArrayEquals(
                REQUEST.entries().get(0).payload(), decoded.entries().get(0).payload());
        assertEquals(43, decoded.entries().get(1).index());
    }

    @Test
    void carriesTheLeadersLogBaseAndStaysVersion1WithoutOne() {
        AppendRequest withBase = new AppendRequest(
                2, 7, "node-1", 41, 6, 40, io.understudy.sidecar.log.RecordBatch.of(REQUEST.entries()), 30);

        byte[] encoded = AppendCodec.encode(withBase);

        assertEquals(30, AppendCodec.decode(encoded).baseIndex());
        assertEquals(43, AppendCodec.decode(encoded).entries().get(1).index());
        assertEquals(2, encoded[4], "a base needs version 2");
        assertEquals(1, AppendCodec.encode(REQUEST)[4], "no base: version 1, which older followers read");
        assertEquals(0, AppendCodec.decode(AppendCodec.encode(REQUEST)).baseIndex());
    }

    @Test
    void refusesGarbageCutShortAndFlippedBits() {
        byte[] good = AppendCodec.encode(REQUEST);
        byte[] flipped = good.clone();
        flipped[flipped.length - 3] ^= 0x10;

        assertThrows(
                IllegalArgumentException.class, () -> AppendCodec.decode("hello".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> AppendCodec.decode(Arrays.copyOf(good, good.length - 5)));
        assertThrows(IllegalArgumentException.class, () -> AppendCodec.decode(flipped));
    }

    @Test
    void shipsStoredRecordsUnchanged() {
        byte[] stored = RecordCodec.encode(REQUEST.entries());
        AppendRequest fromLog = new AppendRequest(2, 7, "node-ü", 41, 6, 40, RecordBatch.stored(2, 2, stored));

        byte[] body = AppendCodec.encode(fromLog);

        assertArrayEquals(stored, Arrays.copyOfRange(body, body.length - stored.length, body.length));
        assertEquals(43, AppendCodec.decode(body).entries().get(1).index());
    }

    @Test
    void refusesRecordsThatDoNotContinueThePreviousIndex() {
        byte[] stored = RecordCodec.encode(REQUEST.entries()); // indexes 42 and 43
        AppendRequest gap = new AppendRequest(2, 7, "node-ü", 40, 6, 40, RecordBatch.stored(2, 2, stored));

        assertThrows(IllegalArgumentException.class, () -> AppendCodec.decode(AppendCodec.encode(gap)));
    }
}
