package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.coordination.Versioned;
import io.understudy.sidecar.log.DataDirectory;
import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.FsyncPolicy;
import io.understudy.sidecar.log.SegmentedLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batches a leader pipelines arrive together; the follower appends each as it comes and answers them all after one
 * fsync that covers them (group commit), never before that fsync.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FollowerAppendsGroupCommitTest {
    @TempDir
    Path dir;

    private final Queue<Runnable> loop = new ArrayDeque<>();
    private final AtomicInteger forces = new AtomicInteger();
    private DataDirectory dataDir;
    private SegmentedLog log;
    private FollowerAppends follower;
    private long commitIndex;
    private io.understudy.sidecar.log.DurableLong knownEpoch;

    @BeforeEach
    void open() throws Exception {
        dataDir = DataDirectory.open(dir.resolve("data"));
        log = SegmentedLog.open(dir.resolve("log"), 0, FsyncPolicy.ALWAYS, Duration.ZERO, 1 << 20, (channel, meta) -> {
            forces.incrementAndGet();
            channel.force(meta);
        });
        knownEpoch = dataDir.durableLong("known-epoch");
        follower = new FollowerAppends(0, "dir-f", log, knownEpoch, new RoleSwitch(), new Host(), "[test]");
    }

    @AfterEach
    void close() throws Exception {
        log.close();
        dataDir.close();
    }

    @Test
    void batchesArrivingTogetherShareOneFsyncAndAreAnsweredAfterIt() throws Exception {
        List<CompletableFuture<AppendResponse>> answers = new ArrayList<>();
        for (int batch = 0; batch < 3; batch++) {
            CompletableFuture<AppendResponse> answer = new CompletableFuture<>();
            AppendRequest request = request(batch * 3L, batch * 3L + 1, batch * 3L + 3);
            loop.add(() -> follower.handle(request, answer)); // as PartitionReplica.append posts them
            answers.add(answer);
        }
        int before = forces.get();

        for (int i = 0; i < 3; i++) loop.poll().run();
        answers.forEach(a -> assertFalse(a.isDone(), "answered before the fsync that makes it durable"));
        runLoop();

        assertEquals(1, forces.get() - before, "one fsync for the three batches");
        for (int i = 0; i < 3; i++) {
            AppendResponse response = answers.get(i).getNow(null);
            assertEquals(AppendResponse.Result.APPENDED, response.result());
            assertEquals(3L * (i + 1), response.matchIndex());
        }
        assertEquals(9, log.logEnd());
        assertEquals(6, commitIndex, "the commit index the last batch carried, within what the follower holds");
    }

    private void runLoop() {
        Runnable task;
        while ((task = loop.poll()) != null) task.run();
    }

    private static AppendRequest request(long prevIndex, long from, long to) {
        List<Entry> entries = new ArrayList<>();
        for (long i = from; i <= to; i++) entries.add(new Entry(0, 1, i, 0, "k" + i, "", new byte[] {(byte) i}));
        return new AppendRequest(0, 1, "leader", prevIndex, prevIndex == 0 ? 0 : 1, Math.max(0, prevIndex), entries);
    }

    /** The replica around the follower: a loop the test runs by hand, a commit index, nothing else. */
    private final class Host implements RoleHost {
        @Override
        public void onLoop(Runnable task) {
            loop.add(task);
        }

        @Override
        public boolean isStarted() {
            return true;
        }

        @Override
        public long commitIndex() {
            return commitIndex;
        }

        @Override
        public void advanceCommitTo(long index) {
            commitIndex = Math.max(commitIndex, index);
        }

        @Override
        public void raiseKnownEpoch(long epoch, String source) {
            try {
                knownEpoch.set(epoch);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void stateSeen(Versioned<PartitionState> seen) {}

        @Override
        public void lead(Versioned<PartitionState> claimed) {}

        @Override
        public void stop(String why, String advice) {
            throw new AssertionError("stopped: " + why);
        }

        @Override
        public void logFailed(String why) {
            throw new AssertionError("log failed: " + why);
        }
    }
}
