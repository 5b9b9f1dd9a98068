package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.understudy.sidecar.coordination.MemberInfo;
import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.Position;
import io.understudy.sidecar.snapshot.SnapshotInfo;
import io.understudy.sidecar.snapshot.SnapshotStore;
import io.understudy.sidecar.testing.MemoryLog;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the log may forget: below a snapshot, or below what every member applied when the app has no snapshots. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LogTrimmerTest {
    private final MemoryLog log = new MemoryLog();
    private final List<SnapshotInfo> stored = new ArrayList<>();
    private final SnapshotStore store = new SnapshotStore() {
        @Override
        public Optional<SnapshotInfo> latest(int partition) {
            return stored.isEmpty() ? Optional.empty() : Optional.of(stored.get(stored.size() - 1));
        }

        @Override
        public InputStream open(SnapshotInfo snapshot) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SnapshotInfo save(int partition, Position position, InputStream bytes) {
            throw new UnsupportedOperationException();
        }
    };
    private boolean appServesNoSnapshots;

    private final LogTrimmer trimmer = new LogTrimmer(
            "[test p0]",
            0,
            log,
            new ReplicaSnapshots(store, () -> appServesNoSnapshots, RetentionRule.UP_TO_SAFE, Runnable::run));

    @BeforeEach
    void twentyEntries() throws Exception {
        List<Entry> entries = new ArrayList<>();
        for (long i = 1; i <= 20; i++) entries.add(new Entry(0, 1, i, 0, "k" + i, "", new byte[] {1}));
        log.append(entries);
    }

    private static MemberInfo applied(String id, long applied) {
        return new MemberInfo(
                id,
                "http://" + id,
                "v",
                0,
                "dir-" + id,
                0,
                Map.of(0, new MemberInfo.PartitionProgress(20, applied, 1, 0)),
                true);
    }

    @Test
    void trimsBelowTheNewestSnapshotWhateverMembersApplied() {
        stored.add(new SnapshotInfo(0, new Position(1, 12), 5, 0));

        trimmer.trim(20, Set.of("a", "b"), Map.of("a", applied("a", 20)));

        assertEquals(new Position(1, 12), log.base());
    }

    @Test
    void neverTrimsAboveTheCommitIndex() {
        stored.add(new SnapshotInfo(0, new Position(1, 12), 5, 0));

        trimmer.trim(9, Set.of("a"), Map.of("a", applied("a", 20)));

        assertEquals(new Position(1, 9), log.base());
    }

    @Test
    void appWithoutSnapshotsTrimsOnlyBelowTheLowestIndexEveryMemberApplied() {
        appServesNoSnapshots = true;

        trimmer.trim(20, Set.of("a", "b"), Map.of("a", applied("a", 18), "b", applied("b", 7)));

        assertEquals(new Position(1, 7), log.base());
    }

    @Test
    void appWithoutSnapshotsKeepsEverythingWhileAMemberIsDown() {
        appServesNoSnapshots = true;

        trimmer.trim(20, Set.of("a", "b", "c"), Map.of("a", applied("a", 18), "b", applied("b", 17)));

        assertEquals(Position.ZERO, log.base(), "c is not alive: what it applied is unknown, so it may need all");
    }

    @Test
    void beforeTheAppSaidWhetherItServesSnapshotsNothingIsTrimmed() {
        trimmer.trim(20, Set.of("a"), Map.of("a", applied("a", 20)));

        assertEquals(Position.ZERO, log.base());
    }
}
