package io.understudy.sidecar.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Opening a log reads what a crash can have torn (the active segment), whatever the history behind it. */
@Timeout(60)
class LogStartupCostTest {
    private static final long SEGMENT_BYTES = 64 << 10;

    @TempDir
    Path one;

    @TempDir
    Path ten;

    private static SegmentedLog open(Path dir) throws IOException {
        return SegmentedLog.open(dir, 0, FsyncPolicy.NEVER, Duration.ZERO, SEGMENT_BYTES);
    }

    /** Appends 200-byte entries in batches of 10 until {@code sealed} segments are full and 100 entries follow. */
    private static long fill(Path dir, int sealed) throws IOException {
        long index = 0;
        try (SegmentedLog log = open(dir)) {
            while (segmentCount(log) <= sealed) index = appendTen(log, index);
            long activeBase = index - 9;
            while (index < activeBase + 99) index = appendTen(log, index);
        }
        return index;
    }

    private static int segmentCount(SegmentedLog log) {
        return log.segmentCount();
    }

    private static long appendTen(SegmentedLog log, long last) throws IOException {
        List<Entry> batch = new ArrayList<>();
        for (long i = last + 1; i <= last + 10; i++) batch.add(new Entry(0, 1 + i / 500, i, i, "", "", new byte[200]));
        log.append(batch);
        return last + 10;
    }

    @Test
    void openReadsTheSameBytesBehindOneSealedSegmentAsBehindTen() throws IOException {
        long endOne = fill(one, 1);
        long endTen = fill(ten, 10);
        try (SegmentedLog a = open(one);
                SegmentedLog b = open(ten)) {
            assertEquals(endOne, a.logEnd());
            assertEquals(endTen, b.logEnd());
            assertTrue(endTen > 5 * endOne, endOne + " vs " + endTen);
            assertEquals(a.recoveryScannedBytes(), b.recoveryScannedBytes(), "only the active segment is read");
            assertTrue(a.recoveryScannedBytes() > 0 && a.recoveryScannedBytes() < SEGMENT_BYTES);
        }
    }

    @Test
    void theIndexKeepsOnePointPerFourKibibytesNotOnePerEntryAndEveryEntryReadsBack() throws IOException {
        long end = fill(ten, 10);
        try (SegmentedLog log = open(ten)) {
            long bytes = log.sizeBytes();
            long points = log.indexPoints();
            assertTrue(points <= bytes / Segment.INDEX_INTERVAL_BYTES + 2L * 11, points + " points for " + bytes);
            assertTrue(points * 10 < end, points + " points for " + end + " entries");
            for (long i = 1; i <= end; i += 7) {
                Entry e = log.read(i, 1, 0).get(0);
                assertEquals(i, e.index());
                assertEquals(1 + i / 500, e.epoch());
                assertEquals(1 + i / 500, log.epochAt(i));
            }
            assertEquals(
                    end, log.readRecords(1, Integer.MAX_VALUE, Long.MAX_VALUE).count(), "across segments");
            assertEquals(end, log.read(1, Integer.MAX_VALUE, Long.MAX_VALUE).size());
        }
    }
}
