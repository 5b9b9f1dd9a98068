package io.understudy.sidecar.replication;

import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.PartitionLog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's single writer towards one follower (one per follower per term): pushes batches of entries from
 * the leader's log with {@code (prevIndex, prevEpoch)} and the commit index, walks back on a mismatch, and sends
 * an empty request as a heartbeat when idle. Results go to the leader session through {@link Callback}.
 */
final class FollowerSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FollowerSender.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

    interface Callback {
        /** The follower holds the leader's log through {@code response.matchIndex()}. */
        void appended(String member, AppendResponse response, boolean caughtUp);

        /** The follower knows a higher epoch: this leader is stale. */
        void staleEpoch(String member, long epoch);

        /** The follower's replica has FAILED for good (its log failed): it takes no appends until restarted. */
        void failed(String member, AppendResponse response);
    }

    private final String member;
    private final String peerUrl;
    private final int partition;
    private final long epoch;
    private final String leader;
    private final PartitionLog partitionLog;
    private final LongSupplier commitIndex;
    private final PeerClient peers;
    private final SenderSettings settings;
    private final Callback callback;
    private final Wakeup wakeup = new Wakeup();
    private final Thread thread;
    private volatile boolean running = true;
    private long nextIndex;

    FollowerSender(
            String member,
            String peerUrl,
            int partition,
            long epoch,
            String leader,
            PartitionLog partitionLog,
            LongSupplier commitIndex,
            PeerClient peers,
            SenderSettings settings,
            Callback callback) {
        this.member = member;
        this.peerUrl = peerUrl;
        this.partition = partition;
        this.epoch = epoch;
        this.leader = leader;
        this.partitionLog = partitionLog;
        this.commitIndex = commitIndex;
        this.peers = peers;
        this.settings = settings;
        this.callback = callback;
        this.nextIndex = partitionLog.logEnd() + 1;
        this.thread = new Thread(this::run, "p" + partition + "-send-" + member);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    String peerUrl() {
        return peerUrl;
    }

    /** New entries or a new commit index: send now rather than at the next heartbeat. */
    void wake() {
        wakeup.signal();
    }

    private void run() {
        long lastSentCommit = -1;
        long lastSentNanos = 0;
        Duration backoff = Duration.ofMillis(50);
        while (running) {
            try {
                long end = partitionLog.logEnd();
                long commit = commitIndex.getAsLong();
                boolean idle = nextIndex > end && commit == lastSentCommit;
                long sinceLast = System.nanoTime() - lastSentNanos;
                if (idle && sinceLast < settings.heartbeatInterval().toNanos()) {
                    wakeup.await(settings.heartbeatInterval().minusNanos(sinceLast));
                    continue;
                }
                long prevIndex = Math.min(nextIndex, end + 1) - 1;
                long prevEpoch = partitionLog.epochAt(prevIndex);
                List<Entry> entries =
                        partitionLog.read(prevIndex + 1, settings.maxBatchEntries(), settings.maxBatchBytes());
                AppendRequest request =
                        new AppendRequest(partition, epoch, leader, prevIndex, prevEpoch, commit, entries);
                lastSentNanos = System.nanoTime();
                AppendResponse response = peers.append(peerUrl, request)
                        .get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
                lastSentCommit = commit;
                backoff = Duration.ofMillis(50);
                handle(request, response, end);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException | java.io.IOException | RuntimeException e) {
                if (!running) return;
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                log.debug("[{} p{} e{}] append to {} failed: {}", leader, partition, epoch, member, cause.toString());
                wakeup.awaitQuietly(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private void handle(AppendRequest request, AppendResponse response, long endAtSend) {
        switch (response.result()) {
            case APPENDED -> {
                nextIndex = response.matchIndex() + 1;
                callback.appended(member, response, response.matchIndex() >= endAtSend);
            }
            case MISMATCH -> {
                long stepBack = Math.max(1, request.prevIndex());
                nextIndex = Math.max(1, Math.min(response.nextIndexHint(), stepBack));
                log.info(
                        "[{} p{} e{}] {} does not match at {}: resending from {} ({})",
                        leader,
                        partition,
                        epoch,
                        member,
                        request.prevIndex(),
                        nextIndex,
                        response.message());
            }
            case STALE_EPOCH -> {
                running = false;
                callback.staleEpoch(member, response.epoch());
            }
            case UNAVAILABLE -> wakeup.awaitQuietly(settings.heartbeatInterval());
            case FAILED -> {
                callback.failed(member, response);
                // Keeps asking at the heartbeat pace: a restarted member may answer on the same address.
                wakeup.awaitQuietly(settings.heartbeatInterval());
            }
        }
    }

    /**
     * Stops after the request in flight, if any (at most the request time-out). The thread is never interrupted:
     * an interrupt during a log read would close the log's file channel for every reader.
     */
    @Override
    public void close() {
        running = false;
        wakeup.signal();
    }
}
