package io.understudy.sidecar.replication;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Writes this member forwarded to the leader, by the epoch they were forwarded in. Each is answered no later than
 * {@link #ANSWER_GRACE} after a higher epoch appears: the old leader (paused, partitioned) may never answer, and the
 * client should hear soon that the outcome is unknown rather than wait out the forward's time-out. Within the grace
 * the old leader's own answer still counts: after a planned hand-over (a switchover, balancing, a graceful stop) it
 * answers at once, either with an acknowledgement of a committed entry, which the new leader holds, or with a
 * refusal that wrote nothing and is routed again ({@link LeaderWait}); failing those as unknown would fail writes
 * that did not fail. Safe on any thread.
 */
final class ForwardedWrites {
    private final int partition;
    /** The highest epoch this member has persisted (raised from the state znode or the leader's appends). */
    private final LongSupplier knownEpoch;

    /** How long the old leader's own answer is awaited once a higher epoch is known. */
    static final Duration ANSWER_GRACE = Duration.ofSeconds(2);

    private final Map<CompletableFuture<Ack>, Long> forwards = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    ForwardedWrites(int partition, LongSupplier knownEpoch, ScheduledExecutorService timer) {
        this.partition = partition;
        this.knownEpoch = knownEpoch;
        this.timer = timer;
    }

    /** Tracks {@code forwarded}, sent while {@code epoch} was the highest known; answers with its outcome. */
    CompletableFuture<Ack> track(CompletableFuture<Ack> forwarded, long epoch) {
        CompletableFuture<Ack> answer = new CompletableFuture<>();
        forwards.put(answer, epoch);
        forwarded.whenComplete((ack, error) -> {
            if (error != null) answer.completeExceptionally(error);
            else answer.complete(ack);
        });
        answer.whenComplete((ack, error) -> forwards.remove(answer));
        // A higher epoch may have been raised between reading it and registering the answer.
        long known = knownEpoch.getAsLong();
        if (known > epoch) failBefore(known);
        return answer;
    }

    /**
     * A leader of {@code epoch} exists: every write forwarded in an earlier epoch and not answered within
     * {@link #ANSWER_GRACE} has an unknown outcome.
     */
    void failBefore(long epoch) {
        forwards.forEach((future, sentIn) -> {
            if (sentIn < epoch) {
                Runnable fail = () -> future.completeExceptionally(new LeadershipLostException(
                        partition,
                        sentIn,
                        "a leader of epoch " + epoch + " was elected while the write was forwarded, and the old"
                                + " leader did not answer within " + ANSWER_GRACE.toMillis() + " ms"));
                try {
                    timer.schedule(fail, ANSWER_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException closing) {
                    fail.run();
                }
            }
        });
    }
}
