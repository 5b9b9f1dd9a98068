package io.understudy.sidecar.replication;

import io.understudy.sidecar.log.PartitionLog;
import io.understudy.sidecar.log.RecordBatch;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's single writer towards one follower (one per follower per term). It pipelines: up to {@link
 * SenderSettings#maxInFlightBatches()} append requests are on the wire at once, each carrying {@code (prevIndex,
 * prevEpoch)} of the entry before its first one, the next batch starting where the previous one ended. Answers come
 * back on the HTTP client's threads in any order; they are queued and handled here, so every field below the
 * constructor's is confined to this thread and no thread waits on a request.
 *
 * <p>A lost, failed or refused request (MISMATCH) starts a new <em>generation</em>: sending resumes from the
 * follower's last confirmed match (or the MISMATCH hint), so a batch is resent, never skipped, and the follower's
 * {@code (prevIndex, prevEpoch)} check refuses anything sent past a gap. Answers to requests of an older generation
 * still count when APPENDED (the follower verified the prefix and made it durable) and are otherwise ignored: the
 * resend under way already covers them. The sender's match only moves forward; the leader session's {@link
 * CommitTracker} takes the maximum too (docs/design.md rules 4 and 5). When idle it sends an empty request, the
 * heartbeat, carrying the commit index. Results go to the leader session through {@link Callback}: APPENDED
 * answers from the thread that received them (they are what commit waits for), the rest from this thread.
 */
final class FollowerSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FollowerSender.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

    interface Callback {
        /**
         * The follower holds the leader's log through {@code response.matchIndex()}. Called on the thread that
         * received the answer (any thread, possibly several at once), not on the sender's.
         */
        void appended(String member, AppendResponse response, boolean caughtUp);

        /** The follower knows a higher epoch: this leader is stale. */
        void staleEpoch(String member, long epoch);

        /** The follower's replica has FAILED for good (its log failed): it takes no appends until restarted. */
        void failed(String member, AppendResponse response);
    }

    /** A request on the wire: the generation it was sent in and the leader's log end when it was read. */
    private record Sent(long generation, AppendRequest request, long endAtSend) {}

    /** A request's outcome, handed from the HTTP client's thread to the sender's: a response or an error. */
    private record Answer(Sent sent, AppendResponse response, Throwable error) {}

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
    private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    // Confined to the sender thread.
    private long nextIndex;
    private long matchIndex;
    private long generation;
    private int inFlight;
    private long pausedUntilNanos;
    private Duration backoff = FIRST_BACKOFF;
    private long lastSentCommit = -1;
    private long lastSentNanos;

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
        while (running) {
            try {
                Answer answer;
                while (running && (answer = answers.poll()) != null) {
                    inFlight--;
                    handle(answer);
                }
                if (!running) return;
                long paused = pausedUntilNanos - System.nanoTime();
                if (paused > 0) {
                    wakeup.await(Duration.ofNanos(paused));
                    continue;
                }
                while (running && inFlight < settings.maxInFlightBatches() && sendNext()) {
                    // keeps the pipe full
                }
                // Answers and new entries wake the thread; with nothing on the wire, the next heartbeat is due then.
                long sinceLast = System.nanoTime() - lastSentNanos;
                Duration heartbeat = settings.heartbeatInterval();
                wakeup.await(inFlight > 0 ? heartbeat : heartbeat.minusNanos(sinceLast));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) { // reading the leader's own log
                if (!running) return;
                log.warn(
                        "[{} p{} e{}] reading the log for {} failed: {}",
                        leader,
                        partition,
                        epoch,
                        member,
                        e.toString());
                retryLater(nextIndex, backoff);
            }
        }
    }

    /**
     * Sends the next batch from {@code nextIndex}, or a heartbeat when there is nothing to send, the pipe is empty
     * and the commit index moved or the heartbeat interval passed.
     *
     * @return whether a request left
     */
    private boolean sendNext() throws IOException {
        long end = partitionLog.logEnd();
        long commit = commitIndex.getAsLong();
        // Nothing below the log's base can be sent: a follower that does not match the base installs a snapshot.
        long base = partitionLog.base().index();
        long prevIndex = Math.max(base, Math.min(nextIndex, end + 1) - 1);
        RecordBatch records;
        if (prevIndex < end) {
            // As stored: no decoding, no re-encoding per follower.
            records = partitionLog.readRecords(prevIndex + 1, batchEntries(end - prevIndex), settings.maxBatchBytes());
        } else {
            boolean heartbeatDue = System.nanoTime() - lastSentNanos
                    >= settings.heartbeatInterval().toNanos();
            if (inFlight > 0 || (commit == lastSentCommit && !heartbeatDue)) return false;
            records = RecordBatch.of(List.of());
        }
        long prevEpoch = partitionLog.epochAt(prevIndex);
        if (prevEpoch == PartitionLog.TRIMMED)
            throw new IOException("the log was trimmed past " + prevIndex + " meanwhile");
        AppendRequest request =
                new AppendRequest(partition, epoch, leader, prevIndex, prevEpoch, commit, records, base);
        Sent sent = new Sent(generation, request, end);
        nextIndex = prevIndex + records.count() + 1;
        lastSentCommit = commit;
        lastSentNanos = System.nanoTime();
        inFlight++;
        CompletableFuture<AppendResponse> response;
        try {
            response = peers.append(peerUrl, request);
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        response.orTimeout(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((r, error) -> {
                    // What a sync write waits for goes to the leader session from here, without a hand-off to this
                    // sender's thread: an APPENDED answer is true whatever the generation (the follower verified the
                    // prefix in this epoch and synced it), and the session's match only moves forward (rule 5).
                    if (r != null && r.result() == AppendResponse.Result.APPENDED && running) {
                        callback.appended(member, r, r.matchIndex() >= sent.endAtSend());
                    }
                    answers.add(new Answer(sent, r, error));
                    wakeup.signal();
                });
        return true;
    }

    /**
     * How many entries the next request may carry when {@code behind} entries are still to send: maxBatchEntries near
     * the log end, so that fresh writes travel in small pipelined batches; a follower further behind than a full pipe
     * (maxBatchEntries x maxInFlightBatches) gets a full pipe's worth per request (still within maxBatchBytes), so
     * that catching up costs it that many times fewer requests, appends and fsyncs (catchup-bench.sh: 1,000,000
     * entries of 256 B took ~980 requests of 1,024 entries, about one fsync each). Bounded, not maxBatchBytes alone:
     * with replication.highPriorityPartitions a batch larger than the link window goes alone and holds up the
     * high-priority partitions behind it.
     */
    private int batchEntries(long behind) {
        long pipe = (long) settings.maxBatchEntries() * settings.maxInFlightBatches();
        return behind > pipe ? (int) Math.min(Integer.MAX_VALUE, pipe) : settings.maxBatchEntries();
    }

    private void handle(Answer answer) {
        boolean current = answer.sent().generation() == generation;
        AppendRequest request = answer.sent().request();
        if (answer.error() != null) {
            if (!current) return; // a resend is under way already
            Throwable cause = answer.error() instanceof java.util.concurrent.CompletionException
                            && answer.error().getCause() != null
                    ? answer.error().getCause()
                    : answer.error();
            log.debug("[{} p{} e{}] append to {} failed: {}", leader, partition, epoch, member, cause.toString());
            retryLater(matchIndex + 1, backoff);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            return;
        }
        AppendResponse response = answer.response();
        backoff = FIRST_BACKOFF;
        switch (response.result()) {
            case APPENDED -> { // the leader session heard of it already, on the thread that received it
                matchIndex = Math.max(matchIndex, response.matchIndex());
                nextIndex = Math.max(nextIndex, matchIndex + 1);
            }
            case MISMATCH -> {
                if (!current) return;
                long stepBack = Math.max(1, request.prevIndex());
                long from = Math.max(1, Math.min(response.nextIndexHint(), stepBack));
                matchIndex = Math.min(matchIndex, from - 1);
                restartFrom(from);
                log.info(
                        "[{} p{} e{}] {} does not match at {}: resending from {} ({})",
                        leader,
                        partition,
                        epoch,
                        member,
                        request.prevIndex(),
                        from,
                        response.message());
            }
            case STALE_EPOCH -> {
                running = false;
                callback.staleEpoch(member, response.epoch());
            }
            case UNAVAILABLE -> {
                if (current) retryLater(matchIndex + 1, settings.heartbeatInterval());
            }
            case SNAPSHOT_NEEDED -> {
                if (!current) return;
                log.debug("[{} p{} e{}] {}: {}", leader, partition, epoch, member, response.message());
                retryLater(matchIndex + 1, settings.heartbeatInterval());
            }
            case FAILED -> {
                if (!current) return;
                callback.failed(member, response);
                // Keeps asking at the heartbeat pace: a restarted member may answer on the same address.
                retryLater(matchIndex + 1, settings.heartbeatInterval());
            }
        }
    }

    /** A new generation: later sends start at {@code from}; answers to what is on the wire now count only if APPENDED. */
    private void restartFrom(long from) {
        generation++;
        nextIndex = from;
        lastSentCommit = -1;
    }

    private void retryLater(long from, Duration pause) {
        restartFrom(from);
        pausedUntilNanos = System.nanoTime() + pause.toNanos();
    }

    /**
     * Stops sending; answers still on the wire are dropped. The thread is never interrupted: an interrupt during a
     * log read would close the log's file channel for every reader.
     */
    @Override
    public void close() {
        running = false;
        wakeup.signal();
    }
}
