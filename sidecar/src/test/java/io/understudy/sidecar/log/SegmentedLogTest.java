package io.understudy.sidecar.log;

import static io.understudy.sidecar.log.LogFixtures.entries;
import static io.understudy.sidecar.log.LogFixtures.entry;
import static io.understudy.sidecar.log.LogFixtures.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.testing.FailingForce;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class SegmentedLogTest {
    @TempDir
    Path dir;

    private SegmentedLog open(long segmentBytes) throws IOException {
        return SegmentedLog.open(dir, 0, FsyncPolicy.ALWAYS, Duration.ZERO, segmentBytes);
    }

    @Test
    void emptyLogAnswersZeroes() throws IOException {
        try (SegmentedLog log = open(SegmentedLog.DEFAULT_SEGMENT_BYTES)) {
            assertEquals(0, log.logEnd());
            assertEquals(Position.ZERO, log.lastPosition());
            assertEquals(0, log.epochAt(0));
            assertEquals(-1, log.epochAt(1));
            assertEquals(List.of(), log.read(1, 10, 1000));
            assertEquals(new RecoveryReport(0, 0, 0, false), log.recovery());
        }
    }

    @Test
    void appendThenReadEpochAtAndLastPosition() throws IOException {
        try (SegmentedLog log = open(SegmentedLog.DEFAULT_SEGMENT_BYTES)) {
            log.append(entries(1, 1, 3));
            log.append(entries(4, 4, 6));
            log.sync();
            assertEquals(new Position(4, 6), log.lastPosition());
            assertEquals(1, log.epochAt(3));
            assertEquals(4, log.epochAt(4));
            assertEquals(-1, log.epochAt(7));
            List<Entry> read = log.read(2, 3, Long.MAX_VALUE);
            assertEquals(List.of(2L, 3L, 4L), read.stream().map(Entry::index).toList());
            RecordCodecTest.assertSame(entry(4, 4), read.get(2));
        }
    }

    @Test
    void readStopsBeforePayloadBudgetButReturnsAtLeastOne() throws IOException {
        try (SegmentedLog log = open(SegmentedLog.DEFAULT_SEGMENT_BYTES)) {
            log.append(entries(1, 1, 20)); // payloads "payload N": 9 or 10 bytes
            assertEquals(1, log.read(1, 100, 0).size());
            assertEquals(2, log.read(1, 100, 19).size());
            assertEquals(3, log.read(1, 100, 27).size());
            assertEquals(20, log.read(1, 100, Long.MAX_VALUE).size());
            assertEquals(List.of(), log.read(21, 100, Long.MAX_VALUE));
        }
    }

    @Test
    void reopenRecoversEverything() throws IOException {
        try (SegmentedLog log = open(SegmentedLog.DEFAULT_SEGMENT_BYTES)) {
            log.append(entries(1, 1, 50));
            log.append(entries(2, 51, 100));
        }
        try (SegmentedLog log = open(SegmentedLog.DEFAULT_SEGMENT_BYTES)) {
            assertEquals(new RecoveryReport(100, 0, 0, false), log.recovery());
            assertEquals(new Position(2, 100), log.lastPosition());
            assertEquals(1, log.epochAt(50));
            assertEquals("payload 77", text(log.read(77, 1, 1000).get(0)));
            log.append(entries(2, 101, 101));
            assertEquals(101, log.logEnd());
        }
    }

    @Test
    void rollsSegmentsAndReadsAcrossThem() throws IOException {
        try (SegmentedLog log = open(200)) {
            for (long i = 1; i <= 30; i += 3) log.append(entries(1, i, i + 2));
            assertTrue(segmentFiles().size() > 3, "segments: " + segmentFiles());
            assertEquals(Segment.fileName(1), segmentFiles().get(0));
            List<Entry> all = log.read(1, 1000, Long.MAX_VALUE);
            assertEquals(30, all.size());
            for (int i = 0; i < 30; i++) assertEquals(i + 1, all.get(i).index());
        }
        try (SegmentedLog log = open(200)) {
            assertEquals(30, log.recovery().entriesRecovered());
            assertEquals(30, log.read(1, 1000, Long.MAX_VALUE).size());
        }
    }

    @Test
    void truncateInsideSegmentAtBoundaryAndToZeroThenAppendAgain() throws IOException {
        try (SegmentedLog log = open(200)) {
            for (long i = 1; i <= 30; i += 3) log.append(entries(1, i, i + 2));
            List<String> segments = segmentFiles();
            long secondBase = Long.parseLong(segments.get(1).substring(0, 20));

            log.truncateAfter(secondBase + 1); // inside the second segment
            assertEquals(secondBase + 1, log.logEnd());
            assertEquals(2, segmentFiles().size());
            log.truncateAfter(secondBase - 1); // the boundary: the second segment goes
            assertEquals(List.of(segments.get(0)), segmentFiles());
            assertEquals(secondBase - 1, log.read(1, 1000, Long.MAX_VALUE).size());
            log.append(entries(3, secondBase, secondBase + 1));
            assertEquals(new Position(3, secondBase + 1), log.lastPosition());

            log.truncateAfter(0);
            assertEquals(Position.ZERO, log.lastPosition());
            assertEquals(List.of(), segmentFiles());
            assertEquals(-1, log.epochAt(1));
            log.append(entries(5, 1, 2));
            assertEquals(
                    List.of("payload 1", "payload 2"),
                    log.read(1, 10, 1000).stream().map(LogFixtures::text).toList());
        }
        try (SegmentedLog log = open(200)) {
            assertEquals(new RecoveryReport(2, 0, 0, false), log.recovery());
            assertEquals(new Position(5, 2), log.lastPosition());
        }
    }

    @Test
    void appendRefusesWhatDoesNotContinueTheLog() throws IOException {
        try (SegmentedLog log = open(SegmentedLog.DEFAULT_SEGMENT_BYTES)) {
            log.append(entries(2, 1, 3));
            assertRefused(log, List.of(entry(2, 5)), "has index 5, expected 4");
            assertRefused(log, List.of(entry(2, 4), entry(2, 6)), "entry 1 of 2 has index 6, expected 5");
            assertRefused(log, List.of(entry(1, 4)), "has epoch 1 below 2");
            assertRefused(log, List.of(entry(3, 4), entry(2, 5)), "has epoch 2 below 3");
            Entry otherPartition = new Entry(1, 2, 4, 0, "", "", new byte[0]);
            assertRefused(log, List.of(otherPartition), "is for partition 1");
            assertEquals(new Position(2, 3), log.lastPosition(), "nothing of a refused batch is written");
            log.append(List.of());
            log.append(entries(2, 4, 4));
            assertEquals(4, log.logEnd());
        }
    }

    private static void assertRefused(SegmentedLog log, List<Entry> batch, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> log.append(batch));
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void concurrentReaderSeesOnlyWholeConsistentEntries() throws Exception {
        try (SegmentedLog log = open(64 * 1024)) {
            AtomicBoolean done = new AtomicBoolean();
            CompletableFuture<Long> reader = CompletableFuture.supplyAsync(() -> {
                long reads = 0;
                try {
                    while (!done.get() || reads == 0) {
                        Position last = log.lastPosition();
                        long from = Math.max(1, last.index() - 50);
                        for (Entry e : log.read(from, 100, Long.MAX_VALUE)) {
                            if (!text(e).equals("payload " + e.index()) || e.epoch() != 1 + e.index() / 1000) {
                                throw new AssertionError("inconsistent entry " + e.position());
                            }
                            if (log.epochAt(e.index()) != e.epoch()) throw new AssertionError("epochAt " + e.index());
                        }
                        reads++;
                    }
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
                return reads;
            });
            for (long i = 1; i <= 10_000; i += 10) {
                List<Entry> batch = entries(1, i, i + 9).stream()
                        .map(e -> e.at(1 + e.index() / 1000, e.index()))
                        .toList();
                log.append(batch);
                log.sync();
            }
            done.set(true);
            assertTrue(reader.get(20, TimeUnit.SECONDS) > 0);
            assertEquals(10_000, log.read(1, 20_000, Long.MAX_VALUE).size());
        }
    }

    @Test
    void intervalPolicyForcesOnlyAfterTheInterval() throws IOException {
        AtomicLong nanos = new AtomicLong(-5_000_000_000L);
        try (SegmentedLog log = SegmentedLog.open(
                dir,
                0,
                FsyncPolicy.INTERVAL,
                Duration.ofMillis(100),
                SegmentedLog.DEFAULT_SEGMENT_BYTES,
                nanos::get,
                ChannelForce.SYSTEM)) {
            log.append(entries(1, 1, 1));
            log.sync();
            assertEquals(0, log.forceCount());
            nanos.addAndGet(Duration.ofMillis(99).toNanos());
            log.sync();
            assertEquals(0, log.forceCount());
            nanos.addAndGet(Duration.ofMillis(1).toNanos());
            log.sync();
            assertEquals(1, log.forceCount());
            nanos.addAndGet(Duration.ofSeconds(10).toNanos());
            log.sync();
            assertEquals(1, log.forceCount(), "idle sync forces nothing");
            log.append(entries(1, 2, 2));
            log.sync();
            assertEquals(2, log.forceCount());
        }
    }

    @Test
    void alwaysForcesOncePerSyncAndNeverForcesOnlyOnClose() throws IOException {
        try (SegmentedLog log = open(SegmentedLog.DEFAULT_SEGMENT_BYTES)) {
            log.append(entries(1, 1, 1));
            log.append(entries(1, 2, 2));
            log.sync();
            log.sync();
            assertEquals(1, log.forceCount(), "one force covers both appends; the idle sync is free");
        }
        Path other = dir.resolve("never");
        SegmentedLog log = SegmentedLog.open(other, 0, FsyncPolicy.NEVER, Duration.ZERO, 1 << 20);
        log.append(entries(1, 1, 1));
        log.sync();
        assertEquals(0, log.forceCount());
        log.close();
        assertEquals(1, log.forceCount());
        log.close(); // idempotent
        assertThrows(IOException.class, () -> log.append(entries(1, 2, 2)));
    }

    @Test
    void aFailedForceFailsTheLogForGoodAndIsNeverRetried() throws IOException {
        FailingForce disk = new FailingForce();
        SegmentedLog log = SegmentedLog.open(dir, 0, FsyncPolicy.ALWAYS, Duration.ZERO, 1 << 20, disk);
        log.append(entries(1, 1, 2));
        log.sync();
        log.append(entries(1, 3, 3));
        disk.arm();

        assertThrows(LogFailedException.class, log::sync);
        assertEquals(1, disk.attemptsWhileArmed());
        assertThrows(LogFailedException.class, log::sync, "a retried fsync could report success for lost pages");
        assertThrows(LogFailedException.class, () -> log.append(entries(1, 4, 4)));
        assertThrows(LogFailedException.class, () -> log.truncateAfter(1));
        assertNotNull(log.failure());
        assertEquals(3, log.read(1, 10, Long.MAX_VALUE).size(), "reads still work");
        log.close();
        assertEquals(1, disk.attemptsWhileArmed(), "no force after the failed one, not even on close");
    }

    private List<String> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".log"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void closedLogRefusesReads() throws IOException {
        SegmentedLog log = open(SegmentedLog.DEFAULT_SEGMENT_BYTES);
        log.append(entries(1, 1, 1));
        log.close();
        assertThrows(IOException.class, () -> log.read(1, 1, 1));
        assertFalse(log.toString().isEmpty());
    }
}
