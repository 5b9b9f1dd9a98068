package io.understudy.sidecar.log;

import static io.understudy.sidecar.log.LogFixtures.entries;
import static io.understudy.sidecar.log.LogFixtures.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Trimming and resetting the log: whole segments only, a durable base, and what a crash part-way leaves. */
@Timeout(30)
class SegmentedLogTrimTest {
    private static final int RECORD = RecordCodec.encodedSize(entry(1, 1)); // indexes 1..9 share a size
    private static final long THREE_RECORDS = 3L * RECORD;

    @TempDir
    Path dir;

    private SegmentedLog open() throws IOException {
        return SegmentedLog.open(dir, 0, FsyncPolicy.ALWAYS, Duration.ZERO, THREE_RECORDS);
    }

    /** Nine entries of epoch 1 (1..3) and 2 (4..9), one per append: segments starting at 1, 4 and 7. */
    private void writeNine() throws IOException {
        try (SegmentedLog log = open()) {
            for (long i = 1; i <= 9; i++) log.append(List.of(entry(i <= 3 ? 1 : 2, i)));
        }
        assertEquals(List.of(1L, 4L, 7L), segmentBases());
    }

    @Test
    void trimDeletesOnlyWholeSegmentsBelowTheIndexAndSurvivesReopen() throws IOException {
        writeNine();
        try (SegmentedLog log = open()) {
            long sizeBefore = log.sizeBytes();
            assertEquals(9L * RECORD, sizeBefore);
            // Index 6 is in the segment 4..6: only the segment 1..3 is wholly below it.
            assertEquals(new Position(1, 3), log.trimBefore(6));
            assertEquals(List.of(4L, 7L), segmentBases());
            assertEquals(new Position(1, 3), log.base());
            assertEquals(6L * RECORD, log.sizeBytes());
            assertEquals(PartitionLog.TRIMMED, log.epochAt(2));
            assertEquals(PartitionLog.TRIMMED, log.epochAt(0));
            assertEquals(1, log.epochAt(3), "the base answers its own epoch");
            assertEquals(2, log.epochAt(4));
            TrimmedException trimmed = assertThrows(TrimmedException.class, () -> log.read(3, 10, Long.MAX_VALUE));
            assertTrue(trimmed.getMessage().contains("(e1, i3)"), trimmed.getMessage());
            assertThrows(TrimmedException.class, () -> log.readRecords(1, 10, Long.MAX_VALUE));
            assertEquals(4, log.read(4, 10, Long.MAX_VALUE).get(0).index());
            assertEquals(6, log.readRecords(4, 10, Long.MAX_VALUE).count());
            assertEquals(new Position(1, 3), log.trimBefore(6), "nothing more goes below 6");
        }
        try (SegmentedLog log = open()) {
            assertEquals(new Position(1, 3), log.base());
            assertEquals(new Position(2, 9), log.lastPosition());
            assertEquals(new RecoveryReport(6, 0, 0, false), log.recovery());
            assertEquals(PartitionLog.TRIMMED, log.epochAt(1));
            assertEquals(6, log.read(4, 100, Long.MAX_VALUE).size());
            log.append(entries(2, 10, 10));
        }
    }

    @Test
    void trimNeverDeletesTheActiveSegment() throws IOException {
        writeNine();
        try (SegmentedLog log = open()) {
            assertEquals(new Position(2, 6), log.trimBefore(1_000));
            assertEquals(List.of(7L), segmentBases());
            assertEquals(new Position(2, 9), log.lastPosition());
            assertEquals(new Position(2, 6), base(), "the base is durable");
        }
    }

    @Test
    void truncateAfterBelowTheBaseIsRefusedAndAtTheBaseEmptiesTheLog() throws IOException {
        writeNine();
        try (SegmentedLog log = open()) {
            log.trimBefore(7);
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> log.truncateAfter(5));
            assertTrue(refused.getMessage().contains("committed"), refused.getMessage());
            assertEquals(new Position(2, 9), log.lastPosition(), "a refused truncation changes nothing");
            log.truncateAfter(6);
            assertEquals(new Position(2, 6), log.lastPosition());
            assertEquals(0, log.sizeBytes());
            assertEquals(-1, log.epochAt(7));
            assertEquals(List.of(), log.read(7, 10, Long.MAX_VALUE));
            log.append(entries(3, 7, 8));
        }
        try (SegmentedLog log = open()) {
            assertEquals(new Position(2, 6), log.base());
            assertEquals(new Position(3, 8), log.lastPosition());
        }
    }

    @Test
    void resetThenAppendThenReopenContinuesAfterTheNewBase() throws IOException {
        writeNine();
        try (SegmentedLog log = open()) {
            log.resetTo(new Position(5, 100));
            assertEquals(List.of(), segmentBases());
            assertEquals(new Position(5, 100), log.base());
            assertEquals(new Position(5, 100), log.lastPosition());
            assertEquals(100, log.logEnd());
            assertEquals(5, log.epochAt(100));
            assertEquals(PartitionLog.TRIMMED, log.epochAt(9));
            assertEquals(List.of(), log.read(101, 10, Long.MAX_VALUE));
            assertThrows(IllegalArgumentException.class, () -> log.append(entries(5, 10, 10)));
            log.append(entries(6, 101, 105));
            log.sync();
        }
        try (SegmentedLog log = open()) {
            assertEquals(new Position(5, 100), log.base());
            assertEquals(new Position(6, 105), log.lastPosition());
            assertEquals(new RecoveryReport(5, 0, 0, false), log.recovery());
            assertEquals(List.of(101L, 102L, 103L, 104L, 105L), indexes(log.read(101, 100, Long.MAX_VALUE)));
        }
    }

    @Test
    void resetToAnIndexBelowTheOldEndDropsTheOldEntriesToo() throws IOException {
        writeNine();
        try (SegmentedLog log = open()) {
            log.resetTo(new Position(7, 5));
            assertEquals(new Position(7, 5), log.lastPosition());
            log.append(entries(7, 6, 6));
        }
        try (SegmentedLog log = open()) {
            assertEquals(new Position(7, 6), log.lastPosition());
            assertEquals(7, log.read(6, 1, Long.MAX_VALUE).get(0).epoch());
        }
    }

    @Test
    void crashInTheMiddleOfATrimLeavesSegmentsBelowTheBaseThatOpenDeletes() throws IOException {
        writeNine();
        LogBase.store(dir, new Position(2, 6), false); // the base landed, no segment was deleted yet
        try (SegmentedLog log = open()) {
            assertEquals(List.of(7L), segmentBases());
            assertEquals(new Position(2, 6), log.base());
            assertEquals(new RecoveryReport(3, 0, 0, false), log.recovery());
            assertEquals(List.of(7L, 8L, 9L), indexes(log.read(7, 100, Long.MAX_VALUE)));
        }
    }

    @Test
    void crashInTheMiddleOfAResetFinishesTheResetOnOpen() throws IOException {
        writeNine();
        LogBase.store(dir, new Position(4, 50), true); // the marked base landed, the segments are still there
        Files.delete(dir.resolve(Segment.fileName(7))); // ...or some of them were deleted already
        try (SegmentedLog log = open()) {
            assertEquals(List.of(), segmentBases());
            assertEquals(new Position(4, 50), log.base());
            assertEquals(new Position(4, 50), log.lastPosition());
            assertEquals(new RecoveryReport(0, 0, 0, false), log.recovery());
            log.append(entries(4, 51, 52));
        }
        assertEquals(new LogBase.State(new Position(4, 50), false), LogBase.load(dir));
        try (SegmentedLog log = open()) {
            assertEquals(new Position(4, 52), log.lastPosition());
        }
    }

    @Test
    void aSegmentThatDoesNotStartAfterTheBaseIsAGap() throws IOException {
        writeNine();
        LogBase.store(dir, new Position(2, 7), false); // says 1..7 are gone, but 8 does not start a segment
        try (SegmentedLog log = open()) {
            assertTrue(log.recovery().corruptionFound(), log.recovery().toString());
            assertEquals(new Position(2, 7), log.lastPosition());
        }
    }

    private Position base() throws IOException {
        return LogBase.load(dir).base();
    }

    private static List<Long> indexes(List<Entry> entries) {
        return entries.stream().map(Entry::index).toList();
    }

    private List<Long> segmentBases() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(Segment.SUFFIX))
                    .map(n -> Long.parseLong(n.substring(0, 20)))
                    .sorted()
                    .toList();
        }
    }
}
