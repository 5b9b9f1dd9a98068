package io.understudy.sidecar.replication;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * {@code sync} writes waiting for the commit index to pass them, in index order. No thread waits: each write
 * is a future completed when its index commits (docs/design.md section 9).
 */
final class PendingAcks {
    private record Pending(Ack ack, CompletableFuture<Ack> future) {}

    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();

    /**
     * Waits for {@code ack}'s index to commit. New writes come in index order; a retried write (an idempotent
     * retry of an earlier entry) may come with a lower index and is put in its place, so that it completes as
     * soon as its own index commits.
     */
    void add(Ack ack, CompletableFuture<Ack> future) {
        Pending added = new Pending(ack, future);
        if (waiting.isEmpty() || waiting.peekLast().ack().index() <= ack.index()) {
            waiting.addLast(added);
            return;
        }
        ArrayDeque<Pending> later = new ArrayDeque<>();
        while (!waiting.isEmpty() && waiting.peekLast().ack().index() > ack.index()) later.addFirst(waiting.pollLast());
        waiting.addLast(added);
        waiting.addAll(later);
    }

    /** Completes every write at or below {@code commitIndex}. */
    void completeThrough(long commitIndex) {
        while (!waiting.isEmpty() && waiting.peekFirst().ack().index() <= commitIndex) {
            Pending done = waiting.pollFirst();
            done.future().complete(done.ack());
        }
    }

    /** Fails every write at or below {@code commitIndex}, each with the exception {@code cause} makes for it. */
    void failThrough(long commitIndex, java.util.function.Function<Ack, ? extends Throwable> cause) {
        while (!waiting.isEmpty() && waiting.peekFirst().ack().index() <= commitIndex) {
            Pending done = waiting.pollFirst();
            done.future().completeExceptionally(cause.apply(done.ack()));
        }
    }

    void failAll(Throwable cause) {
        while (!waiting.isEmpty()) waiting.pollFirst().future().completeExceptionally(cause);
    }

    int size() {
        return waiting.size();
    }
}
