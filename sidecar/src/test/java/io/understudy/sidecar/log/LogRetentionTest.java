package io.understudy.sidecar.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Which whole segments retention lets go: by bytes, by age, never at or above safeIndex + 1. */
@Timeout(30)
class LogRetentionTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final int RECORD = RecordCodec.encodedSize(entry(1));
    private static final long NO_AGE_LIMIT = Duration.ofDays(3650).toMillis();

    @TempDir
    Path dir;

    /** Entry i written at T0 + i minutes; every entry of indexes 1..9 has the same size. */
    private static Entry entry(long index) {
        return new Entry(0, 1, index, T0 + Duration.ofMinutes(index).toMillis(), "k", "", new byte[] {1, 2, 3});
    }

    /** Nine entries in segments 1..3, 4..6, 7..9. */
    private SegmentedLog nine() throws IOException {
        SegmentedLog log = SegmentedLog.open(dir, 0, FsyncPolicy.NEVER, Duration.ZERO, 3L * RECORD);
        for (long i = 1; i <= 9; i++) log.append(List.of(entry(i)));
        return log;
    }

    private static LogRetention retention(long retainBytes, long retainMs, long nowMillis) {
        Clock clock = Clock.fixed(Instant.ofEpochMilli(nowMillis), ZoneOffset.UTC);
        return new LogRetention(new RetentionSettings(3L * RECORD, retainBytes, Duration.ofMillis(retainMs)), clock);
    }

    @Test
    void oldestSegmentsGoWhileTheLogHoldsMoreThanRetainBytes() throws IOException {
        try (SegmentedLog log = nine()) {
            LogRetention r = retention(4L * RECORD, NO_AGE_LIMIT, T0);
            OptionalLong trim = r.trimIndex(log, 9);
            assertEquals(OptionalLong.of(7), trim, "9 records > 4: two segments go, 3 records remain");
            log.trimBefore(trim.getAsLong());
            assertTrue(log.sizeBytes() <= 4L * RECORD);
            assertEquals(OptionalLong.empty(), r.trimIndex(log, 9), "within bounds now");
        }
    }

    @Test
    void nothingAtOrAboveSafeIndexPlusOneGoes() throws IOException {
        try (SegmentedLog log = nine()) {
            LogRetention r = retention(0, 0, T0 + Duration.ofDays(1).toMillis()); // everything is too big and too old
            assertEquals(OptionalLong.empty(), r.trimIndex(log, 2), "the first segment holds index 3");
            assertEquals(OptionalLong.of(4), r.trimIndex(log, 3));
            assertEquals(OptionalLong.of(4), r.trimIndex(log, 5), "4..6 holds 6, which is safeIndex + 1");
            assertEquals(OptionalLong.of(7), r.trimIndex(log, 6));
            assertEquals(OptionalLong.of(7), r.trimIndex(log, 100), "the active segment never goes");
        }
    }

    @Test
    void segmentsWhoseNewestEntryIsOlderThanRetainMsGo() throws IOException {
        try (SegmentedLog log = nine()) {
            long now = T0 + Duration.ofMinutes(10).toMillis();
            // Retain 5 minutes: entries older than minute 5 are out; 1..3 (newest minute 3) goes, 4..6 (minute 6)
            // stays.
            LogRetention r = retention(Long.MAX_VALUE, Duration.ofMinutes(5).toMillis(), now);
            assertEquals(OptionalLong.of(4), r.trimIndex(log, 9));
        }
    }

    @Test
    void aLogWithinItsBoundsKeepsEverything() throws IOException {
        try (SegmentedLog log = nine()) {
            assertEquals(
                    OptionalLong.empty(), retention(1L << 30, NO_AGE_LIMIT, T0).trimIndex(log, 9));
        }
    }
}
