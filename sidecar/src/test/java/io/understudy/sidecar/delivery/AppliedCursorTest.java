package io.understudy.sidecar.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.understudy.sidecar.log.DataDirectory;
import io.understudy.sidecar.log.DurableLong;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The applied index reaches the disk at most once per interval going up, at once going down, and on close. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AppliedCursorTest {
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private DataDirectory data;
    private DurableLong file;
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private AppliedCursor cursor;

    @BeforeEach
    void open() throws Exception {
        data = DataDirectory.open(dir);
        file = data.durableLong("partition-0/applied");
        cursor = new AppliedCursor(file, INTERVAL, nanos::get);
    }

    @AfterEach
    void close() throws Exception {
        data.close();
    }

    @Test
    void deliveriesWithinTheIntervalAreNotWrittenUntilItPasses() throws Exception {
        cursor.record(5); // the first one is written: nothing was written before
        cursor.record(6);
        cursor.record(9);

        assertEquals(5, onDisk());
        assertEquals(9, cursor.applied());

        nanos.addAndGet(INTERVAL.toNanos());
        cursor.record(10);
        assertEquals(10, onDisk());
    }

    @Test
    void aQuietCursorIsWrittenOnceTheIntervalPasses() throws Exception {
        cursor.record(5);
        cursor.record(7);
        cursor.writeIfDue();
        assertEquals(5, onDisk());

        nanos.addAndGet(INTERVAL.toNanos());
        cursor.writeIfDue();
        assertEquals(7, onDisk());
    }

    @Test
    void aLowerIndexIsWrittenAtOnce() throws Exception {
        cursor.record(50);
        cursor.record(60);

        cursor.record(20); // the app holds less (it restarted empty): never restart delivery above what it holds

        assertEquals(20, onDisk());
    }

    @Test
    void closingWritesTheLastIndex() throws Exception {
        cursor.record(5);
        cursor.record(8);

        cursor.writeNow();

        assertEquals(8, onDisk());
    }

    private long onDisk() throws Exception {
        return Long.parseLong(
                Files.readString(file.file(), StandardCharsets.UTF_8).trim());
    }
}
