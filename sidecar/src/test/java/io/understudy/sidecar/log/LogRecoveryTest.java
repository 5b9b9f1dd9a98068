package io.understudy.sidecar.log;

import static io.understudy.sidecar.log.LogFixtures.entries;
import static io.understudy.sidecar.log.LogFixtures.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Recovery on open: what a crash or a damaged disk leaves behind, and what the log keeps of it. */
@Timeout(30)
class LogRecoveryTest {
    private static final int RECORD = RecordCodec.encodedSize(entry(1, 1)); // indexes 1..9 share a size

    @TempDir
    Path dir;

    private SegmentedLog open(long segmentBytes) throws IOException {
        return SegmentedLog.open(dir, 0, FsyncPolicy.ALWAYS, Duration.ZERO, segmentBytes);
    }

    private void write(long count, long segmentBytes) throws IOException {
        try (SegmentedLog log = open(segmentBytes)) {
            for (long i = 1; i <= count; i++) log.append(List.of(entry(1, i)));
        }
    }

    @Test
    void tornLastRecordIsDroppedWithoutCallingItCorruption() throws IOException {
        write(5, 1 << 20);
        Path seg = segments().get(0);
        chop(seg, 7);
        try (SegmentedLog log = open(1 << 20)) {
            assertEquals(new RecoveryReport(4, RECORD - 7, 0, false), log.recovery());
            assertEquals(new Position(1, 4), log.lastPosition());
            assertEquals(4L * RECORD, Files.size(seg), "the torn bytes are gone from the file");
            log.append(entries(1, 5, 5));
        }
    }

    @Test
    void zeroFilledTailIsTornNotCorrupt() throws IOException {
        write(3, 1 << 20);
        append(segments().get(0), new byte[100]);
        try (SegmentedLog log = open(1 << 20)) {
            assertEquals(new RecoveryReport(3, 100, 0, false), log.recovery());
        }
    }

    @Test
    void flippedBitInTheActiveSegmentCutsThere() throws IOException {
        write(9, 3L * RECORD); // three segments of three records; 7..9 is the active one
        List<Path> before = segments();
        assertEquals(3, before.size());
        flipBit(before.get(2), RECORD + 20); // inside record 8
        try (SegmentedLog log = open(3L * RECORD)) {
            assertEquals(new RecoveryReport(7, 2L * RECORD, 0, true), log.recovery());
            assertEquals(new Position(1, 7), log.lastPosition());
            assertEquals(7, log.read(1, 100, Long.MAX_VALUE).size());
            log.append(entries(2, 8, 9));
        }
        try (SegmentedLog log = open(3L * RECORD)) {
            assertEquals(new RecoveryReport(9, 0, 0, false), log.recovery(), "the cut was durable and final");
        }
    }

    @Test
    void flippedBitInASealedSegmentIsReportedByVerifyAndByAReadNeverServed() throws IOException {
        write(9, 3L * RECORD);
        Path middle = segments().get(1);
        flipBit(middle, RECORD + 20); // inside record 5, in a sealed segment that open does not read
        try (SegmentedLog log = open(3L * RECORD)) {
            CorruptRecordException verify = assertThrows(CorruptRecordException.class, log::verifySealed);
            assertTrue(verify.getMessage().contains(middle.getFileName().toString()), verify.getMessage());
            assertEquals(CorruptRecordException.Kind.CORRUPT, verify.kind());
            CorruptRecordException read =
                    assertThrows(CorruptRecordException.class, () -> log.read(4, 100, Long.MAX_VALUE));
            assertTrue(read.getMessage().contains("crc32c mismatch"), read.getMessage());
            assertEquals(List.of(4L), indexes(log.read(4, 1, Long.MAX_VALUE)), "records before it still read");
        }
    }

    @Test
    void bytesAppendedToASealedSegmentAreCutAndReportedAsCorruptionKeepingEveryEntry() throws IOException {
        write(9, 3L * RECORD);
        byte[] garbage = new byte[37];
        new java.util.Random(7).nextBytes(garbage);
        append(segments().get(0), garbage);
        try (SegmentedLog log = open(3L * RECORD)) {
            assertEquals(new RecoveryReport(9, 37, 0, true), log.recovery());
            assertEquals(9, log.read(1, 100, Long.MAX_VALUE).size());
            log.verifySealed();
        }
        try (SegmentedLog log = open(3L * RECORD)) {
            assertEquals(new RecoveryReport(9, 0, 0, false), log.recovery());
        }
    }

    @Test
    void aTruncationIntoASealedSegmentUnsealsItSoThatReopenReadsWhatWasWrittenAfter() throws IOException {
        write(9, 3L * RECORD);
        try (SegmentedLog log = open(3L * RECORD)) {
            log.truncateAfter(5);
            log.append(List.of(entry(2, 6)));
            log.append(List.of(entry(2, 7)));
        }
        assertTrue(Files.notExists(dir.resolve(SegmentSeal.fileName(7))), "7..9 went with its seal");
        try (SegmentedLog log = open(3L * RECORD)) {
            assertEquals(new RecoveryReport(7, 0, 0, false), log.recovery());
            assertEquals(1, log.epochAt(5));
            assertEquals(2, log.epochAt(6));
            assertEquals(2, log.read(6, 1, Long.MAX_VALUE).get(0).epoch());
            assertEquals(new Position(2, 7), log.lastPosition());
        }
    }

    @Test
    void aDamagedSealIsIgnoredAndItsSegmentReadAndSealedAgain() throws IOException {
        write(9, 3L * RECORD);
        append(dir.resolve(SegmentSeal.fileName(4)), new byte[] {1, 2, 3});
        try (SegmentedLog log = open(3L * RECORD)) {
            assertEquals(new RecoveryReport(9, 0, 0, false), log.recovery());
            assertEquals(2L * 3 * RECORD, log.recoveryScannedBytes(), "the segment 4..6 and the active one");
            log.verifySealed();
        }
        try (SegmentedLog log = open(3L * RECORD)) {
            assertEquals(3L * RECORD, log.recoveryScannedBytes(), "sealed again: only the active segment is read");
        }
    }

    @Test
    void aSealedLastSegmentLeftByACrashBeforeTheRollIsServedAndTheNextAppendRolls() throws IOException {
        write(9, 3L * RECORD);
        Files.delete(dir.resolve(Segment.fileName(7))); // as if the crash came after sealing 4..6, before 7 existed
        try (SegmentedLog log = open(3L * RECORD)) {
            assertEquals(new RecoveryReport(6, 0, 0, false), log.recovery());
            assertEquals(0, log.recoveryScannedBytes());
            log.append(entries(1, 7, 7));
        }
        assertEquals(3, segments().size());
        try (SegmentedLog log = open(3L * RECORD)) {
            assertEquals(new Position(1, 7), log.lastPosition());
        }
    }

    @Test
    void garbageAppendedToTheLastSegmentIsCutAsCorruption() throws IOException {
        write(4, 1 << 20);
        byte[] garbage = new byte[64];
        Arrays.fill(garbage, (byte) 0x5A);
        append(segments().get(0), garbage);
        try (SegmentedLog log = open(1 << 20)) {
            assertEquals(new RecoveryReport(4, 64, 0, true), log.recovery());
            assertEquals(4, log.read(1, 100, Long.MAX_VALUE).size());
        }
    }

    @Test
    void shortenedMiddleSegmentAtARecordBoundaryIsAnIndexGap() throws IOException {
        write(9, 3L * RECORD);
        List<Path> before = segments();
        chop(before.get(1), RECORD); // loses record 6, so segment 3 (index 7) no longer continues the log
        try (SegmentedLog log = open(3L * RECORD)) {
            assertEquals(new RecoveryReport(5, 3L * RECORD, 1, true), log.recovery());
            assertEquals(5, log.logEnd());
            assertEquals(before.subList(0, 2), segments());
        }
    }

    @Test
    void shortenedMiddleSegmentMidRecordIsCorruptionBecauseLaterDataExisted() throws IOException {
        write(9, 3L * RECORD);
        chop(segments().get(1), 10);
        try (SegmentedLog log = open(3L * RECORD)) {
            RecoveryReport r = log.recovery();
            assertEquals(5, r.entriesRecovered());
            assertEquals(1, r.segmentsDropped());
            assertTrue(r.corruptionFound(), "a torn record followed by data is not a crash mid-write: " + r);
        }
    }

    @Test
    void missingFirstSegmentDropsEverything() throws IOException {
        write(6, 3L * RECORD);
        Files.delete(segments().get(0));
        try (SegmentedLog log = open(3L * RECORD)) {
            assertEquals(new RecoveryReport(0, 3L * RECORD, 1, true), log.recovery());
            assertEquals(Position.ZERO, log.lastPosition());
            assertEquals(List.of(), segments());
            log.append(entries(2, 1, 1));
        }
    }

    @Test
    void emptyActiveSegmentLeftByACrashAfterRollIsKept() throws IOException {
        write(3, 1 << 20);
        Files.createFile(dir.resolve(Segment.fileName(4)));
        try (SegmentedLog log = open(1 << 20)) {
            assertEquals(new RecoveryReport(3, 0, 0, false), log.recovery());
            log.append(entries(1, 4, 5));
        }
        try (SegmentedLog log = open(1 << 20)) {
            assertEquals(5, log.recovery().entriesRecovered());
        }
    }

    @Test
    void recordWithAnIndexOutOfSequenceIsCorrupt() throws IOException {
        write(2, 1 << 20);
        append(segments().get(0), RecordCodec.encode(List.of(entry(1, 7))));
        try (SegmentedLog log = open(1 << 20)) {
            assertEquals(new RecoveryReport(2, RECORD, 0, true), log.recovery());
        }
    }

    @Test
    void scanCrossesItsReadChunkForLargeRecords() throws IOException {
        try (SegmentedLog log = open(SegmentedLog.DEFAULT_SEGMENT_BYTES)) {
            for (long i = 1; i <= 3; i++) {
                log.append(List.of(new Entry(0, 1, i, 0, "k", "", new byte[(int) (700_000 * i)])));
            }
        }
        try (SegmentedLog log = open(SegmentedLog.DEFAULT_SEGMENT_BYTES)) {
            assertEquals(new RecoveryReport(3, 0, 0, false), log.recovery());
            assertEquals(2_100_000, log.read(3, 1, 0).get(0).payload().length);
        }
    }

    private static List<Long> indexes(List<Entry> entries) {
        return entries.stream().map(Entry::index).toList();
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
    }

    private static void chop(Path file, long bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - bytes);
        }
    }

    private static void append(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, StandardOpenOption.APPEND);
    }

    private static void flipBit(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, offset);
            one.put(0, (byte) (one.get(0) ^ 0x04)).rewind();
            ch.write(one, offset);
        }
    }
}
