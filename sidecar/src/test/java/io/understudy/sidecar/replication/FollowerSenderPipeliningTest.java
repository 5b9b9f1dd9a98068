package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.FsyncPolicy;
import io.understudy.sidecar.log.SegmentedLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sender keeps several batches on the wire to one follower; answers come back out of order, one request is lost
 * without an answer, one fails before it reaches the follower and one reaches it but its answer is lost. The
 * follower (a real {@link FollowerAppender} on a real log) must end with exactly the leader's log, and no answer may
 * claim more than the follower holds.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FollowerSenderPipeliningTest {
    private static final long EPOCH = 1;
    private static final int ENTRIES = 40;
    private static final int IN_FLIGHT = 4;

    @TempDir
    Path dir;

    private SegmentedLog leaderLog;
    private SegmentedLog followerLog;
    private FollowerAppender appender;
    private final ScriptedPeer peer = new ScriptedPeer();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<Long> commits = new CopyOnWriteArrayList<>();
    private final CommitTracker tracker = new CommitTracker("leader", 0);
    private long followerCommit;
    private FollowerSender sender;

    @BeforeEach
    void open() throws Exception {
        leaderLog = SegmentedLog.open(dir.resolve("leader"), 0, FsyncPolicy.NEVER, Duration.ZERO, 1 << 20);
        followerLog = SegmentedLog.open(dir.resolve("follower"), 0, FsyncPolicy.NEVER, Duration.ZERO, 1 << 20);
        appender = new FollowerAppender(0, followerLog, "dir-f");
        List<Entry> entries = new ArrayList<>();
        for (long i = 1; i <= ENTRIES; i++) {
            entries.add(new Entry(0, EPOCH, i, 0, "k" + i, "", ("v" + i).getBytes(StandardCharsets.UTF_8)));
        }
        leaderLog.append(entries);
        tracker.leaderDurable(leaderLog.logEnd());
    }

    @AfterEach
    void close() throws Exception {
        if (sender != null) sender.close();
        leaderLog.close();
        followerLog.close();
    }

    @Test
    void followerEndsWithTheLeadersLogDespiteReorderedLostAndFailedBatches() throws Exception {
        // A follower this far behind gets a full pipe's worth per request (FollowerSenderCatchUpTest): the bytes of
        // the first three records keep every batch at three records or fewer, so that many are on the wire at once.
        long threeRecords = leaderLog.readRecords(1, 3, Long.MAX_VALUE).bytes().length;
        SenderSettings settings =
                new SenderSettings(3, threeRecords, Duration.ofMillis(50), Duration.ofMillis(300), IN_FLIGHT);
        sender = new FollowerSender(
                "f", "http://f.invalid", 0, EPOCH, "leader", leaderLog, () -> 0L, peer, settings, new Recorder());
        sender.start();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int delivered = 0;
        int mostAtOnce = 0;
        while (!(followerLog.logEnd() == ENTRIES && tracker.match("f") == ENTRIES)) {
            assertTrue(System.nanoTime() < deadline, "the follower never caught up: " + followerLog.logEnd());
            List<Pending> batch = peer.takeSeveral(IN_FLIGHT, Duration.ofMillis(200));
            mostAtOnce = Math.max(mostAtOnce, batch.size());
            Collections.reverse(batch); // out of order
            for (Pending p : batch) {
                delivered++;
                peer.settled(); // before the answer: the sender may send the next request at once
                switch (delivered) {
                    case 3 -> {} // lost on the way: no answer ever comes (the request time-out fails it)
                    case 5 -> p.answer().completeExceptionally(new IOException("connection reset before sending"));
                    case 7 -> {
                        apply(p.request());
                        p.answer().completeExceptionally(new IOException("connection reset after sending"));
                    }
                    default -> p.answer().complete(apply(p.request()));
                }
            }
        }

        assertTrue(mostAtOnce > 1, "batches were pipelined: at most " + mostAtOnce + " waited for an answer at once");
        assertTrue(peer.maxOutstanding.get() <= IN_FLIGHT, "never more than " + IN_FLIGHT + " in flight");
        assertEquals(List.of(), violations);
        assertIdentical();
        for (int i = 1; i < commits.size(); i++) {
            assertTrue(commits.get(i) >= commits.get(i - 1), "commit moved backwards: " + commits);
        }
        assertEquals(ENTRIES, commits.get(commits.size() - 1));
    }

    private AppendResponse apply(AppendRequest request) {
        try {
            FollowerAppender.Outcome outcome = appender.append(request, EPOCH, followerCommit);
            followerCommit = outcome.commitIndex();
            return outcome.response();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void assertIdentical() throws IOException {
        List<Entry> expected = leaderLog.read(1, ENTRIES + 1, Long.MAX_VALUE);
        List<Entry> actual = followerLog.read(1, ENTRIES + 1, Long.MAX_VALUE);
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).position(), actual.get(i).position());
            assertEquals(expected.get(i).key(), actual.get(i).key());
            assertArrayEquals(expected.get(i).payload(), actual.get(i).payload());
        }
    }

    /** The leader session's part: counts matches towards commit and checks each answer against the follower. */
    private final class Recorder implements FollowerSender.Callback {
        @Override
        public void appended(String member, AppendResponse response, boolean caughtUp) {
            long match = response.matchIndex();
            if (match > followerLog.logEnd()) violations.add("match " + match + " past the follower's log end");
            for (long i = 1; i <= match; i++) {
                if (followerLog.epochAt(i) != leaderLog.epochAt(i)) violations.add("index " + i + " differs");
            }
            long before = tracker.match(member);
            tracker.matched(member, match);
            if (tracker.match(member) < before) violations.add("match went back from " + before);
            tracker.advance(List.of(member));
            if (tracker.commitIndex() > followerLog.logEnd()) violations.add("commit past the follower's log");
            commits.add(tracker.commitIndex());
        }

        @Override
        public void staleEpoch(String member, long epoch) {
            violations.add("stale epoch " + epoch);
        }

        @Override
        public void failed(String member, AppendResponse response) {
            violations.add("failed " + response);
        }
    }

    private record Pending(AppendRequest request, CompletableFuture<AppendResponse> answer) {}

    /** Holds every request until the test answers it; counts how many were outstanding at once. */
    private static final class ScriptedPeer implements PeerClient {
        private final BlockingQueue<Pending> arrived = new LinkedBlockingQueue<>();
        private final AtomicInteger outstanding = new AtomicInteger();
        final AtomicInteger maxOutstanding = new AtomicInteger();

        @Override
        public CompletableFuture<AppendResponse> append(String peerUrl, AppendRequest request) {
            CompletableFuture<AppendResponse> answer = new CompletableFuture<>();
            maxOutstanding.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
            arrived.add(new Pending(request, answer));
            return answer;
        }

        /** The test is about to answer (or lose) one request. */
        void settled() {
            outstanding.decrementAndGet();
        }

        /** Up to {@code n} requests: waits for the first, then for more while they keep coming within {@code quiet}. */
        List<Pending> takeSeveral(int n, Duration quiet) throws InterruptedException {
            List<Pending> taken = new ArrayList<>();
            Pending next = arrived.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
            while (next != null) {
                taken.add(next);
                if (taken.size() == n) break;
                next = arrived.poll(quiet.toMillis() / 4, TimeUnit.MILLISECONDS);
            }
            return taken;
        }

        @Override
        public CompletableFuture<Ack> forward(String peerUrl, WriteRequest request) {
            return new CompletableFuture<>();
        }

        @Override
        public void close() {}
    }
}
