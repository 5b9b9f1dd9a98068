package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.FsyncPolicy;
import io.understudy.sidecar.log.IdempotencyKey;
import io.understudy.sidecar.log.SegmentedLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class IdempotencyWindowLoaderTest {
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void loadsTheKeysOfEntriesWithinTheWindowAndReadsOnlyTheTail() throws Exception {
        ManualClock clock = new ManualClock(NOW);
        try (SegmentedLog log = SegmentedLog.open(dir, 0, FsyncPolicy.NEVER, Duration.ZERO, 4096)) {
            List<Entry> entries = new ArrayList<>();
            // 1..100 are 20 to 11 minutes old, 101..200 within the last 10 minutes; every third entry has a key.
            for (int i = 1; i <= 200; i++) {
                long age = i <= 100 ? Duration.ofMinutes(20).toMillis() - i * 5_000L : (200 - i) * 1_000L;
                IdempotencyKey key = i % 3 == 0 ? IdempotencyKey.of("k" + i, "", "", new byte[] {(byte) i}) : null;
                entries.add(new Entry(0, 1 + i / 150, i, NOW - age, "", "", new byte[] {(byte) i}, key));
            }
            log.append(entries);
            IdempotencyWindow window =
                    new IdempotencyWindow(new IdempotencySettings(Duration.ofMinutes(10), 1000), clock);

            long read = IdempotencyWindowLoader.load(log, window);

            assertEquals(100, read, "only the entries within the window are read");
            assertNull(window.find(IdempotencyKey.of("k99", "", "", new byte[] {99})));
            IdempotencyWindow.Written w = window.find(IdempotencyKey.of("k150", "", "", new byte[] {(byte) 150}));
            assertNotNull(w);
            assertEquals(150, w.index());
            assertEquals(2, w.epoch());
            assertEquals(33, window.size()); // 102, 105, ..., 198
        }
    }

    @Test
    void aLogThatStartsAfterASnapshotIsSearchedFromItsBase() throws Exception {
        io.understudy.sidecar.testing.MemoryLog log = new io.understudy.sidecar.testing.MemoryLog();
        log.resetTo(new io.understudy.sidecar.log.Position(1, 50));
        List<Entry> entries = new ArrayList<>();
        for (int i = 51; i <= 60; i++) {
            IdempotencyKey key = IdempotencyKey.of("k" + i, "", "", new byte[] {(byte) i});
            entries.add(new Entry(0, 1, i, NOW - 1_000, "", "", new byte[] {(byte) i}, key));
        }
        log.append(entries);
        IdempotencyWindow window = new IdempotencyWindow(IdempotencySettings.DEFAULT, new ManualClock(NOW));

        assertEquals(10, IdempotencyWindowLoader.load(log, window));
        assertEquals(10, window.size());
    }

    @Test
    void anEmptyLogLoadsNothing() throws Exception {
        try (SegmentedLog log = SegmentedLog.open(dir, 0, FsyncPolicy.NEVER, Duration.ZERO, 4096)) {
            IdempotencyWindow window = new IdempotencyWindow(IdempotencySettings.DEFAULT, new ManualClock(NOW));
            assertEquals(0, IdempotencyWindowLoader.load(log, window));
            assertEquals(0, window.size());
        }
    }
}
