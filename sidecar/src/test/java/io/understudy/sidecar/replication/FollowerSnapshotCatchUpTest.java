package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.Position;
import io.understudy.sidecar.log.RecordBatch;
import io.understudy.sidecar.testing.MemoryLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The follower's half of the snapshot signal in the append protocol (docs/design.md section 6). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FollowerSnapshotCatchUpTest {
    private final MemoryLog log = new MemoryLog();
    private final FollowerAppender appender = new FollowerAppender(0, log, "dir-1");

    private static List<Entry> entries(long epoch, long from, long to) {
        List<Entry> list = new ArrayList<>();
        for (long i = from; i <= to; i++) list.add(new Entry(0, epoch, i, 0, "k" + i, "", new byte[] {(byte) i}));
        return list;
    }

    private static AppendRequest request(long prevIndex, long prevEpoch, long commit, List<Entry> entries, long base) {
        return new AppendRequest(0, 1, "leader", prevIndex, prevEpoch, commit, RecordBatch.of(entries), base);
    }

    @Test
    void followerBelowTheLeadersBaseIsToldToFetchTheSnapshot() throws Exception {
        log.append(entries(1, 1, 3));

        var outcome = appender.append(request(10, 1, 12, entries(1, 11, 12), 10), 1, 3);

        assertEquals(AppendResponse.Result.SNAPSHOT_NEEDED, outcome.response().result());
        assertEquals(3, log.logEnd(), "nothing appended");
        assertEquals(3, outcome.commitIndex());
    }

    @Test
    void followerMissingEntriesTheLeaderStillHoldsGetsAMismatchAsBefore() throws Exception {
        log.append(entries(1, 1, 3));

        var outcome = appender.append(request(10, 1, 12, entries(1, 11, 12), 5), 1, 3);

        assertEquals(AppendResponse.Result.MISMATCH, outcome.response().result());
        assertEquals(4, outcome.response().nextIndexHint());
    }

    @Test
    void followerResetToASnapshotMatchesALeaderWhoseBaseIsLowerAndSkipsWhatItsSnapshotCovers() throws Exception {
        log.resetTo(new Position(1, 10));

        var outcome = appender.append(request(8, 1, 12, entries(1, 9, 12), 8), 1, 10);

        assertEquals(AppendResponse.Result.APPENDED, outcome.response().result());
        assertEquals(12, outcome.response().matchIndex());
        assertEquals(12, log.logEnd());
        assertEquals(1, log.epochAt(11));
    }

    @Test
    void followerResetToTheLeadersBaseMatchesItsNextAppend() throws Exception {
        log.append(entries(1, 1, 3));
        log.resetTo(new Position(2, 10));

        var outcome = appender.append(request(10, 2, 11, entries(2, 11, 11), 10), 2, 10);

        assertEquals(AppendResponse.Result.APPENDED, outcome.response().result());
        assertEquals(11, log.logEnd());
    }
}
