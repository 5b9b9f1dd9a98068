package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.FsyncPolicy;
import io.understudy.sidecar.log.SegmentedLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An APPENDED answer is what a sync write waits for: it reaches the leader session from the thread that received
 * it, not after a hand-off to the sender's thread (which may be busy sending the next batch).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FollowerSenderAnswerPathTest {
    private static final long EPOCH = 1;

    @TempDir
    Path dir;

    private SegmentedLog leaderLog;
    private FollowerSender sender;
    private final CountDownLatch secondSendMayReturn = new CountDownLatch(1);

    @AfterEach
    void close() throws Exception {
        secondSendMayReturn.countDown();
        if (sender != null) sender.close();
        if (leaderLog != null) leaderLog.close();
    }

    @Test
    void appendedAnswerReachesTheLeaderWhileTheSendersThreadIsBusySending() throws Exception {
        leaderLog = SegmentedLog.open(dir, 0, FsyncPolicy.NEVER, Duration.ZERO, 1 << 20);
        BlockingQueue<CompletableFuture<AppendResponse>> sent = new LinkedBlockingQueue<>();
        PeerClient peer = new PeerClient() {
            @Override
            public CompletableFuture<AppendResponse> append(String peerUrl, AppendRequest request) {
                CompletableFuture<AppendResponse> answer = new CompletableFuture<>();
                if (request.size() == 0) return answer; // the first heartbeat: never answered
                sent.add(answer);
                if (request.prevIndex() == 1) { // the second batch: the sender's thread stays here for now
                    try {
                        secondSendMayReturn.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return answer;
            }

            @Override
            public CompletableFuture<Ack> forward(String peerUrl, WriteRequest request) {
                return new CompletableFuture<>();
            }

            @Override
            public void close() {}
        };
        BlockingQueue<Long> appended = new LinkedBlockingQueue<>();
        FollowerSender.Callback callback = new FollowerSender.Callback() {
            @Override
            public void appended(String member, AppendResponse response, boolean caughtUp) {
                appended.add(response.matchIndex());
            }

            @Override
            public void staleEpoch(String member, long epoch) {}

            @Override
            public void failed(String member, AppendResponse response) {}
        };
        // One entry per batch, three on the wire at once (the first heartbeat takes one); no other heartbeat.
        SenderSettings settings = new SenderSettings(1, 1 << 20, Duration.ofMinutes(1), Duration.ofMinutes(1), 3);
        sender = new FollowerSender(
                "f", "http://f.invalid", 0, EPOCH, "leader", leaderLog, () -> 0L, peer, settings, callback);
        sender.start();
        leaderLog.append(List.of(entry(1), entry(2)));
        sender.wake();

        CompletableFuture<AppendResponse> first = sent.poll(10, TimeUnit.SECONDS);
        assertNotNull(first, "the first batch was sent");
        assertNotNull(sent.poll(10, TimeUnit.SECONDS), "the second batch is being sent");
        // The sender's thread is inside the second send now; the first batch's answer arrives.
        first.complete(AppendResponse.appended(EPOCH, 1, 1, "dir-f"));

        assertEquals(1L, appended.poll(10, TimeUnit.SECONDS), "the leader heard of the match at once");
    }

    private static Entry entry(long index) {
        return new Entry(0, EPOCH, index, 0, "k" + index, "", ("v" + index).getBytes(StandardCharsets.UTF_8));
    }
}
