package io.understudy.sidecar.log;

import static io.understudy.sidecar.log.LogFixtures.entries;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A leader ships records as its log stores them: {@code readRecords} returns those bytes, untouched. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SegmentedLogReadRecordsTest {
    @TempDir
    Path dir;

    private SegmentedLog log;
    private final List<Entry> written = entries(3, 1, 12);

    @BeforeEach
    void open() throws Exception {
        // Small segments, one batch per segment or so: reads cross segment boundaries.
        log = SegmentedLog.open(dir, 0, FsyncPolicy.NEVER, Duration.ZERO, 100);
        for (int from = 0; from < written.size(); from += 3) log.append(written.subList(from, from + 3));
    }

    @AfterEach
    void close() throws Exception {
        log.close();
    }

    @Test
    void returnsTheStoredBytesOfARangeAcrossSegments() throws Exception {
        RecordBatch all = log.readRecords(1, 100, Long.MAX_VALUE);
        RecordBatch middle = log.readRecords(2, 7, Long.MAX_VALUE);

        assertEquals(12, all.count());
        assertArrayEquals(RecordCodec.encode(written), all.bytes());
        assertEquals(7, middle.count());
        assertArrayEquals(RecordCodec.encode(written.subList(1, 8)), middle.bytes());
        assertEquals(
                written.subList(1, 8).get(6).position(), middle.entries().get(6).position());
    }

    @Test
    void stopsAtTheByteBudgetButReturnsAtLeastOneRecord() throws Exception {
        int twoRecords = RecordCodec.encode(written.subList(0, 2)).length;

        assertEquals(2, log.readRecords(1, 100, twoRecords).count());
        assertEquals(2, log.readRecords(1, 100, twoRecords + 1).count());
        assertEquals(1, log.readRecords(1, 100, 0).count());
        assertEquals(0, log.readRecords(13, 100, Long.MAX_VALUE).count());
    }
}
