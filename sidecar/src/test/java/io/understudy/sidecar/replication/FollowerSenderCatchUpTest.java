package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.FsyncPolicy;
import io.understudy.sidecar.log.SegmentedLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower further behind than a full pipe ({@link SenderSettings#maxBatchEntries()} x {@link
 * SenderSettings#maxInFlightBatches()}) gets a full pipe's worth of entries per request, not maxBatchEntries (each
 * request costs the follower a decode pass, an append and its share of an fsync), never more than {@link
 * SenderSettings#maxBatchBytes()}; once it is within one pipe of the log end, requests are back to at most
 * maxBatchEntries, so fresh writes still travel in small pipelined batches. A real {@link FollowerAppender} on a real
 * log answers; the follower ends with exactly the leader's log.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FollowerSenderCatchUpTest {
    private static final long EPOCH = 1;
    private static final int BEHIND = 5_000;
    private static final int BATCH_ENTRIES = 10;
    private static final int IN_FLIGHT = 2;
    private static final long BATCH_BYTES = 64 * 1024;

    @TempDir
    Path dir;

    private SegmentedLog leaderLog;
    private SegmentedLog followerLog;
    private FollowerAppender appender;
    private FollowerSender sender;
    private long followerCommit;
    /** Each request as it arrived: its first index, its entry count and its bytes. */
    private final List<long[]> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() throws Exception {
        leaderLog = SegmentedLog.open(dir.resolve("leader"), 0, FsyncPolicy.NEVER, Duration.ZERO, 1 << 20);
        followerLog = SegmentedLog.open(dir.resolve("follower"), 0, FsyncPolicy.NEVER, Duration.ZERO, 1 << 20);
        appender = new FollowerAppender(0, followerLog, "dir-f");
        append(1, BEHIND);
    }

    @AfterEach
    void close() throws Exception {
        if (sender != null) sender.close();
        leaderLog.close();
        followerLog.close();
    }

    private void append(long from, int count) throws Exception {
        List<Entry> entries = new ArrayList<>();
        for (long i = from; i < from + count; i++) {
            entries.add(new Entry(0, EPOCH, i, 0, "k" + i, "", ("value-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        leaderLog.append(entries);
    }

    /** Answers every request at once by applying it to the follower's log (one request at a time). */
    private final class ApplyingPeer implements PeerClient {
        @Override
        public synchronized CompletableFuture<AppendResponse> append(String peerUrl, AppendRequest request) {
            requests.add(new long[] {
                request.prevIndex() + 1, request.size(), request.records().bytes().length
            });
            try {
                FollowerAppender.Outcome outcome = appender.append(request, EPOCH, followerCommit);
                followerCommit = outcome.commitIndex();
                return CompletableFuture.completedFuture(outcome.response());
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public CompletableFuture<Ack> forward(String peerUrl, WriteRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {}
    }

    private static final class Ignoring implements FollowerSender.Callback {
        @Override
        public void appended(String member, AppendResponse response, boolean caughtUp) {}

        @Override
        public void staleEpoch(String member, long epoch) {}

        @Override
        public void failed(String member, AppendResponse response) {}
    }

    private void awaitFollowerAt(long end) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (followerLog.logEnd() < end) {
            assertTrue(System.nanoTime() < deadline, "the follower stopped at " + followerLog.logEnd() + " of " + end);
            Thread.sleep(5);
        }
    }

    @Test
    void aFollowerFarBehindGetsAFullPipePerRequestThenSmallBatchesAtTheTail() throws Exception {
        SenderSettings settings =
                new SenderSettings(BATCH_ENTRIES, BATCH_BYTES, Duration.ofMillis(50), Duration.ofSeconds(5), IN_FLIGHT);
        sender = new FollowerSender(
                "f",
                "http://f.invalid",
                0,
                EPOCH,
                "leader",
                leaderLog,
                () -> 0L,
                new ApplyingPeer(),
                settings,
                new Ignoring());
        sender.start();
        awaitFollowerAt(BEHIND);
        int caughtUpAfter = requests.size();
        append(BEHIND + 1, IN_FLIGHT * BATCH_ENTRIES); // one pipe's worth: not far behind
        sender.wake();
        awaitFollowerAt(BEHIND + IN_FLIGHT * BATCH_ENTRIES);

        long[] first = requests.stream().filter(r -> r[1] > 0).findFirst().orElseThrow();
        assertEquals(1, first[0]);
        assertEquals(
                BATCH_ENTRIES * IN_FLIGHT, first[1], "the first request, 5,000 behind, carries a full pipe's worth");
        for (long[] r : requests) {
            assertTrue(r[1] <= BATCH_ENTRIES * IN_FLIGHT, "a request carried " + r[1] + " entries");
            assertTrue(r[2] <= BATCH_BYTES, "a request of " + r[2] + " bytes, over maxBatchBytes " + BATCH_BYTES);
        }
        assertTrue(
                caughtUpAfter <= BEHIND / (BATCH_ENTRIES * IN_FLIGHT) + 5,
                caughtUpAfter + " requests to catch up 5,000 entries");
        for (long[] r : requests.subList(caughtUpAfter, requests.size())) {
            assertTrue(r[1] <= BATCH_ENTRIES, "a request at the tail carried " + r[1] + " entries");
        }
        List<Entry> expected = leaderLog.read(1, Integer.MAX_VALUE, Long.MAX_VALUE);
        List<Entry> actual = followerLog.read(1, Integer.MAX_VALUE, Long.MAX_VALUE);
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).position(), actual.get(i).position());
            assertArrayEquals(expected.get(i).payload(), actual.get(i).payload());
        }
    }
}
