package io.understudy.sidecar.replication;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Retries, at the member where a write entered, a write refused because the partition has no leader that takes
 * writes right now: {@link NotLeaderException}, which is only ever raised before anything was written (a leader
 * handing over or suspended, no leader elected yet, a forward that reached a member that no longer leads). Each
 * attempt routes afresh, so a write that arrives during a switchover, a graceful stop or leader balancing is
 * served by the new leader once it leads, and the client never sees the move. Every other failure, and the last
 * refusal once {@code patience} has passed, goes to the client as it came.
 */
public final class LeaderWait {
    /** Between two attempts: a hand-over takes tens to hundreds of milliseconds. */
    static final Duration BACKOFF = Duration.ofMillis(25);

    private final ScheduledExecutorService timer;
    private final Ticker ticker;
    private final Duration patience;

    public LeaderWait(ScheduledExecutorService timer, Ticker ticker, Duration patience) {
        this.timer = timer;
        this.ticker = ticker;
        this.patience = patience;
    }

    /** Runs {@code attempt} until it succeeds, fails otherwise than {@link NotLeaderException}, or patience ends. */
    public CompletableFuture<Ack> write(Supplier<CompletableFuture<Ack>> attempt) {
        CompletableFuture<Ack> answer = new CompletableFuture<>();
        tryOnce(attempt, ticker.nanos(), answer);
        return answer;
    }

    private void tryOnce(Supplier<CompletableFuture<Ack>> attempt, long since, CompletableFuture<Ack> answer) {
        CompletableFuture<Ack> once;
        try {
            once = attempt.get();
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
            return;
        }
        once.whenComplete((ack, error) -> {
            if (error == null) {
                answer.complete(ack);
                return;
            }
            Throwable cause = CompletionCause.of(error);
            if (!(cause instanceof NotLeaderException) || ticker.elapsed(since, patience)) {
                answer.completeExceptionally(cause);
                return;
            }
            try {
                timer.schedule(() -> tryOnce(attempt, since, answer), BACKOFF.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                answer.completeExceptionally(cause);
            }
        });
    }
}
