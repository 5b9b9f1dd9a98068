package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.FsyncPolicy;
import io.understudy.sidecar.log.LogFailedException;
import io.understudy.sidecar.log.Position;
import io.understudy.sidecar.log.SegmentedLog;
import io.understudy.sidecar.testing.FailingForce;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FollowerAppenderTest {
    @TempDir
    Path dir;

    private SegmentedLog log;
    private FollowerAppender appender;

    @BeforeEach
    void open() throws Exception {
        log = SegmentedLog.open(dir, 0, FsyncPolicy.NEVER, Duration.ofMillis(100), SegmentedLog.DEFAULT_SEGMENT_BYTES);
        appender = new FollowerAppender(0, log, "dir-1");
    }

    @AfterEach
    void close() throws Exception {
        log.close();
    }

    private static List<Entry> entries(long epoch, long from, long to) {
        List<Entry> list = new ArrayList<>();
        for (long i = from; i <= to; i++) list.add(new Entry(0, epoch, i, 0, "k" + i, "", new byte[] {(byte) i}));
        return list;
    }

    private static AppendRequest request(long epoch, long prevIndex, long prevEpoch, long commit, List<Entry> entries) {
        return new AppendRequest(0, epoch, "leader", prevIndex, prevEpoch, commit, entries);
    }

    @Test
    void aPrevIndexBelowTheBaseMatchesAndEntriesUpToTheBaseAreSkipped() throws Exception {
        log.resetTo(new Position(2, 10)); // a snapshot at 10 covers everything up to it: committed

        var outcome = appender.append(request(2, 5, 1, 10, entries(2, 6, 12)), 2, 10);

        assertEquals(
                AppendResponse.Result.APPENDED,
                outcome.response().result(),
                outcome.response().message());
        assertEquals(12, outcome.response().matchIndex());
        assertEquals(new Position(2, 12), log.lastPosition());
        assertEquals(11, log.read(11, 1, Long.MAX_VALUE).get(0).index());
    }

    @Test
    void appendsAfterAMatchingPrefixAndReportsTheVerifiedMatch() throws Exception {
        var first = appender.append(request(1, 0, 0, 0, entries(1, 1, 3)), 1, 0);
        var second = appender.append(request(1, 3, 1, 2, entries(1, 4, 5)), 1, first.commitIndex());

        assertEquals(AppendResponse.Result.APPENDED, second.response().result());
        assertEquals(5, second.response().matchIndex());
        assertEquals(5, log.logEnd());
        assertEquals(2, second.commitIndex());
    }

    @Test
    void refusesWhenTheLogDoesNotHoldThePreviousEntryAndHintsWhereToResend() throws Exception {
        appender.append(request(1, 0, 0, 0, entries(1, 1, 3)), 1, 0);

        var beyondEnd = appender.append(request(1, 7, 1, 0, entries(1, 8, 8)), 1, 0);
        var wrongEpoch = appender.append(request(2, 3, 2, 0, entries(2, 4, 4)), 2, 1);

        assertEquals(AppendResponse.Result.MISMATCH, beyondEnd.response().result());
        assertEquals(4, beyondEnd.response().nextIndexHint());
        assertEquals(AppendResponse.Result.MISMATCH, wrongEpoch.response().result());
        assertEquals(2, wrongEpoch.response().nextIndexHint(), "back to just after the known commit index");
        assertEquals(3, log.logEnd(), "nothing was appended");
    }

    @Test
    void truncatesAConflictingUncommittedSuffix() throws Exception {
        appender.append(request(1, 0, 0, 0, entries(1, 1, 5)), 1, 0);

        var outcome = appender.append(request(2, 2, 1, 2, entries(2, 3, 4)), 2, 2);

        assertEquals(AppendResponse.Result.APPENDED, outcome.response().result());
        assertEquals(4, log.logEnd());
        assertEquals(2, log.epochAt(3));
        assertEquals(2, log.epochAt(4));
    }

    @Test
    void stopsRatherThanTruncateACommittedEntry() throws Exception {
        appender.append(request(1, 0, 0, 0, entries(1, 1, 5)), 1, 0);

        assertThrows(
                CommittedEntryConflictException.class,
                () -> appender.append(request(2, 2, 1, 2, entries(2, 3, 4)), 2, 4));
        assertEquals(5, log.logEnd(), "the committed entries are still there");
    }

    @Test
    void aResendAfterAFailedForceIsNeverAnsweredAppended() throws Exception {
        FailingForce disk = new FailingForce();
        try (SegmentedLog always =
                SegmentedLog.open(dir.resolve("always"), 0, FsyncPolicy.ALWAYS, Duration.ZERO, 1 << 20, disk)) {
            FollowerAppender follower = new FollowerAppender(0, always, "dir-1");
            follower.append(request(1, 0, 0, 0, entries(1, 1, 2)), 1, 0);
            disk.arm();
            assertThrows(LogFailedException.class, () -> follower.append(request(1, 2, 1, 0, entries(1, 3, 4)), 1, 0));

            // The leader heard no answer and resends: the entries are in the page cache, perhaps not on the disk.
            assertThrows(LogFailedException.class, () -> follower.append(request(1, 2, 1, 0, entries(1, 3, 4)), 1, 0));
            assertThrows(LogFailedException.class, () -> follower.append(request(1, 4, 1, 0, List.of()), 1, 0));
        }
    }

    @Test
    void skipsEntriesItAlreadyHoldsAndNeverTrustsCommitBeyondTheVerifiedMatch() throws Exception {
        appender.append(request(1, 0, 0, 0, entries(1, 1, 5)), 1, 0);

        var outcome = appender.append(request(1, 0, 0, 9, entries(1, 1, 2)), 1, 0);

        assertEquals(5, log.logEnd(), "entries 3..5 were not touched");
        assertEquals(2, outcome.response().matchIndex());
        assertEquals(2, outcome.commitIndex(), "commit is clamped to what the request verified");
    }
}
