package io.understudy.sidecar.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.understudy.sidecar.log.DataDirectory;
import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.snapshot.FileSnapshotStore;
import io.understudy.sidecar.testing.MemoryLog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** When the app is asked for a snapshot, and what is stored. The executor runs the call at once. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AppSnapshotsTest {
    @TempDir
    Path dir;

    private final AtomicInteger asked = new AtomicInteger();
    private volatile boolean failing;

    private final HostAppClient app = new HostAppClient() {
        @Override
        public Applied apply(int partition, List<Entry> entries) {
            throw new UnsupportedOperationException();
        }

        @Override
        public OptionalLong position(int partition) {
            return OptionalLong.empty();
        }

        @Override
        public Optional<AppSnapshot> snapshot(int partition) throws IOException {
            asked.incrementAndGet();
            if (failing) throw new IOException("app answered 500 (test)");
            return Optional.of(new AppSnapshot(15, new ByteArrayInputStream(new byte[] {1, 2})));
        }

        @Override
        public void notifyRole(int partition, RoleNotice notice) {}

        @Override
        public void close() {}
    };

    private MemoryLog logOf20() throws Exception {
        MemoryLog log = new MemoryLog();
        List<Entry> entries = new ArrayList<>();
        for (long i = 1; i <= 20; i++) entries.add(new Entry(0, i <= 10 ? 1 : 3, i, 0, "k", "", new byte[] {1}));
        log.append(entries);
        return log;
    }

    @Test
    void aLogOverItsRetentionBytesAsksForASnapshotBeforeTheIntervalOnceASegmentsWorthWasApplied() throws Exception {
        try (DataDirectory data = DataDirectory.open(dir)) {
            FileSnapshotStore store = new FileSnapshotStore(data);
            // 20 entries of 1 byte: 20 bytes held, 1 byte each; retention keeps 8 bytes in segments of 4 bytes.
            SnapshotSchedule schedule = new SnapshotSchedule(100_000, 8, 4);
            AppSnapshots snapshots = new AppSnapshots("node-1", 0, app, store, logOf20(), schedule, Runnable::run);

            snapshots.applied(3);
            assertEquals(
                    0, asked.get(), "3 entries since the last snapshot do not fill a segment: trimming gains none");
            snapshots.applied(15);

            assertEquals(1, asked.get(), "the log is over retainBytes and a segment's worth was applied");
            assertEquals(15, store.latest(0).orElseThrow().index());
        }
    }

    @Test
    void aLogWithinItsRetentionBytesWaitsForTheInterval() throws Exception {
        try (DataDirectory data = DataDirectory.open(dir)) {
            FileSnapshotStore store = new FileSnapshotStore(data);
            SnapshotSchedule schedule = new SnapshotSchedule(100_000, 1024, 4);
            AppSnapshots snapshots = new AppSnapshots("node-1", 0, app, store, logOf20(), schedule, Runnable::run);

            snapshots.applied(15);

            assertEquals(0, asked.get());
        }
    }

    @Test
    void afterIntervalEntriesTheSnapshotIsStoredAtTheAppsIndexWithTheLogsEpochThere() throws Exception {
        try (DataDirectory data = DataDirectory.open(dir)) {
            FileSnapshotStore store = new FileSnapshotStore(data);
            AppSnapshots snapshots =
                    new AppSnapshots("node-1", 0, app, store, logOf20(), SnapshotSchedule.every(10), Runnable::run);

            snapshots.applied(9);
            assertEquals(0, asked.get(), "not before 10 entries");
            snapshots.applied(15);

            assertEquals(1, asked.get());
            assertEquals(15, store.latest(0).orElseThrow().index());
            assertEquals(3, store.latest(0).orElseThrow().position().epoch());
            assertEquals(AppSnapshots.Support.SUPPORTED, snapshots.support());
        }
    }

    @Test
    void anAppThatFailsIsAskedAgainOnlyAfterAnotherInterval() throws Exception {
        failing = true;
        try (DataDirectory data = DataDirectory.open(dir)) {
            AppSnapshots snapshots = new AppSnapshots(
                    "node-1",
                    0,
                    app,
                    new FileSnapshotStore(data),
                    logOf20(),
                    SnapshotSchedule.every(10),
                    Runnable::run);

            snapshots.applied(12);
            snapshots.applied(14);
            assertEquals(1, asked.get(), "not at every batch");
            snapshots.applied(22);

            assertEquals(2, asked.get());
            assertEquals(2, snapshots.failures());
        }
    }
}
