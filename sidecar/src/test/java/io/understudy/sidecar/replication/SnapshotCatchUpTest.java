package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.understudy.sidecar.coordination.MemberInfo;
import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.coordination.Versioned;
import io.understudy.sidecar.log.DataDirectory;
import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.Position;
import io.understudy.sidecar.snapshot.FileSnapshotStore;
import io.understudy.sidecar.snapshot.SnapshotInfo;
import io.understudy.sidecar.snapshot.SnapshotStore;
import io.understudy.sidecar.testing.MemoryLog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A follower told SNAPSHOT_NEEDED fetches the leader's snapshot, then continues its log after it. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SnapshotCatchUpTest {
    @TempDir
    Path dir;

    private final MemoryLog log = new MemoryLog();
    private final Host host = new Host();
    private final ManualTicker ticker = new ManualTicker();
    private final AtomicInteger fetches = new AtomicInteger();
    private DataDirectory data;
    private SnapshotStore store;
    private volatile boolean leaderHasSnapshot = true;
    private volatile boolean following = true;
    private SnapshotCatchUp catchUp;

    @BeforeEach
    void start() throws Exception {
        data = DataDirectory.open(dir);
        store = new FileSnapshotStore(data);
        List<Entry> entries = new ArrayList<>();
        for (long i = 1; i <= 3; i++) entries.add(new Entry(0, 1, i, 0, "k" + i, "", new byte[] {1}));
        log.append(entries);
        PeerClient leader = new PeerClient() {
            @Override
            public CompletableFuture<AppendResponse> append(String peerUrl, AppendRequest request) {
                return new CompletableFuture<>();
            }

            @Override
            public CompletableFuture<Ack> forward(String peerUrl, WriteRequest request) {
                return new CompletableFuture<>();
            }

            @Override
            public void close() {}

            @Override
            public SnapshotInfo fetchSnapshot(String peerUrl, int partition, SnapshotStore into) throws IOException {
                fetches.incrementAndGet();
                if (!leaderHasSnapshot) throw new java.io.FileNotFoundException("no snapshot (test)");
                return into.save(partition, new Position(2, 50), new ByteArrayInputStream(new byte[] {7}));
            }
        };
        catchUp = new SnapshotCatchUp(
                "[test p0]",
                0,
                log,
                new ReplicaSnapshots(store, () -> false, RetentionRule.NEVER, Runnable::run),
                leader,
                () -> Map.of("leader", new MemberInfo("leader", "http://leader", "v", 0, "d", 0, Map.of(), true)),
                host,
                () -> following,
                ticker);
    }

    @AfterEach
    void close() throws IOException {
        data.close();
    }

    @Test
    void theFollowerResetsItsLogToTheFetchedSnapshotAndTakesItsIndexAsCommitted() {
        catchUp.needed("leader", 50);
        host.runLoop();

        assertEquals(new Position(2, 50), log.base());
        assertEquals(50, log.logEnd());
        assertEquals(50, host.commit);
    }

    @Test
    void aMemberThatStoppedFollowingMeanwhileKeepsItsLog() {
        catchUp.needed("leader", 50);
        following = false;
        host.runLoop();

        assertEquals(3, log.logEnd());
        assertEquals(0, host.commit);
    }

    @Test
    void aFailedFetchIsRetriedOnlyAfterAPause() {
        leaderHasSnapshot = false;
        catchUp.needed("leader", 50);
        host.runLoop();
        catchUp.needed("leader", 50);
        host.runLoop();
        assertEquals(1, fetches.get(), "not again at the next heartbeat");

        leaderHasSnapshot = true;
        ticker.advance(SnapshotCatchUp.RETRY_PAUSE);
        catchUp.needed("leader", 50);
        host.runLoop();

        assertEquals(2, fetches.get());
        assertEquals(50, log.logEnd());
    }

    /** The replica's side, with the partition loop run by the test. */
    private static final class Host implements RoleHost {
        private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        long commit;

        void runLoop() {
            for (Runnable task; (task = tasks.poll()) != null; ) task.run();
        }

        @Override
        public void onLoop(Runnable task) {
            tasks.add(task);
        }

        @Override
        public boolean isStarted() {
            return true;
        }

        @Override
        public long commitIndex() {
            return commit;
        }

        @Override
        public void advanceCommitTo(long index) {
            commit = Math.max(commit, index);
        }

        @Override
        public void raiseKnownEpoch(long epoch, String source) {}

        @Override
        public void stateSeen(Versioned<PartitionState> seen) {}

        @Override
        public void lead(Versioned<PartitionState> claimed) {}

        @Override
        public void stop(String why, String advice) {}

        @Override
        public void logFailed(String why) {}
    }
}
