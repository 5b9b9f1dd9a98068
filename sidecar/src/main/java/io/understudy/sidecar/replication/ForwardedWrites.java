package io.understudy.sidecar.replication;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Writes this member forwarded to the leader, by the epoch they were forwarded in. Each is answered no later than
 * the moment a higher epoch appears: the old leader (paused, partitioned) may never answer, and the client should
 * hear at once that the outcome is unknown rather than wait out the forward's time-out. Safe on any thread.
 */
final class ForwardedWrites {
    private final int partition;
    /** The highest epoch this member has persisted (raised from the state znode or the leader's appends). */
    private final LongSupplier knownEpoch;

    private final Map<CompletableFuture<Ack>, Long> forwards = new ConcurrentHashMap<>();

    ForwardedWrites(int partition, LongSupplier knownEpoch) {
        this.partition = partition;
        this.knownEpoch = knownEpoch;
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

    /** A leader of {@code epoch} exists: the outcome of every write forwarded in an earlier epoch is unknown. */
    void failBefore(long epoch) {
        forwards.forEach((future, sentIn) -> {
            if (sentIn < epoch) {
                future.completeExceptionally(new LeadershipLostException(
                        partition,
                        sentIn,
                        "a leader of epoch " + epoch + " was elected while the write was forwarded"));
            }
        });
    }
}
