package io.understudy.sidecar;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member with a thread dead of an {@link Error} (an {@link OutOfMemoryError} most often) is half alive: it still
 * answers, but its partition loop or a sender is gone. It must stop at once, with {@link #EXIT_CODE}, so that its
 * supervisor restarts it whole. This is the uncaught-exception handler of every thread the member starts, and it
 * also catches the Errors that executors and futures would otherwise keep to themselves: a scheduled task's
 * (see {@link #scheduler}) and any a caller finds in a failed future ({@link #checkFatal}).
 */
public final class FatalErrors implements Thread.UncaughtExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(FatalErrors.class);

    /** {@code EX_SOFTWARE} of sysexits.h: an internal error. */
    public static final int EXIT_CODE = 70;

    private final String member;
    private final IntConsumer exit;
    private final AtomicBoolean fired = new AtomicBoolean();

    /** @param exit what stopping means: {@code Runtime.getRuntime()::halt} in production (no shutdown hooks). */
    public FatalErrors(String member, IntConsumer exit) {
        this.member = member;
        this.exit = exit;
    }

    /** Halts the JVM: shutdown hooks could hang on a heap that is already exhausted. */
    public static FatalErrors halting(String member) {
        return new FatalErrors(member, code -> Runtime.getRuntime().halt(code));
    }

    @Override
    public void uncaughtException(Thread thread, Throwable error) {
        if (error instanceof Error) {
            die(thread.getName(), error);
        } else {
            log.error("[{}] thread {} died of an uncaught exception", member, thread.getName(), error);
        }
    }

    /** Stops the member if {@code failure} is, or wraps, an {@link Error}. */
    public void checkFatal(Throwable failure) {
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof Error) die(Thread.currentThread().getName(), e);
    }

    private void die(String where, Throwable error) {
        if (!fired.compareAndSet(false, true)) return;
        try {
            log.error(
                    "[{}] FATAL: {} in thread {}: stopping at once with exit code {} so that the supervisor restarts"
                            + " this member whole",
                    member,
                    error,
                    where,
                    EXIT_CODE);
        } catch (Throwable ignored) { // NOPMD: logging may itself fail without heap; stopping matters more
        }
        exit.accept(EXIT_CODE);
    }

    /** Daemon threads named {@code prefix-N} that report to this handler. */
    public ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
            t.setDaemon(true);
            t.setUncaughtExceptionHandler(this);
            return t;
        };
    }

    /**
     * A scheduled executor whose tasks' Errors stop the member. A scheduled task's failure is kept in its future
     * and a periodic task's just stops repeating, so no one would ever hear of it otherwise.
     */
    public ScheduledExecutorService scheduler(String prefix, int threads) {
        return new ScheduledThreadPoolExecutor(threads, threads(prefix)) {
            @Override
            protected void afterExecute(Runnable task, Throwable thrown) {
                super.afterExecute(task, thrown);
                if (thrown != null) {
                    checkFatal(thrown);
                } else if (task instanceof Future<?> future && future.isDone()) {
                    try {
                        future.get();
                    } catch (ExecutionException e) {
                        checkFatal(e.getCause());
                    } catch (CancellationException e) {
                        // cancelled: not a failure
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
    }
}
