package io.understudy.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A thread that dies of an Error stops the member; the exit action is injected so the test JVM survives. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FatalErrorsTest {
    private final BlockingQueue<Integer> exits = new ArrayBlockingQueue<>(4);
    private final FatalErrors fatal = new FatalErrors("node-1", exits::add);

    @Test
    void anErrorInAPeriodicScheduledTaskExitsWithCode70() throws Exception {
        ScheduledExecutorService timer = fatal.scheduler("timer", 1);
        try {
            timer.scheduleWithFixedDelay(
                    () -> {
                        throw new OutOfMemoryError("Java heap space (simulated)");
                    },
                    0,
                    10,
                    TimeUnit.MILLISECONDS);

            assertEquals(FatalErrors.EXIT_CODE, exits.poll(5, TimeUnit.SECONDS));
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void anErrorInAOneShotScheduledTaskExits() throws Exception {
        ScheduledExecutorService timer = fatal.scheduler("timer", 1);
        try {
            timer.schedule(
                    () -> {
                        throw new StackOverflowError();
                    },
                    1,
                    TimeUnit.MILLISECONDS);

            assertEquals(FatalErrors.EXIT_CODE, exits.poll(5, TimeUnit.SECONDS));
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void aRuntimeExceptionInAScheduledTaskDoesNotExit() throws Exception {
        ScheduledExecutorService timer = fatal.scheduler("timer", 1);
        try {
            var failed = timer.schedule(
                    () -> {
                        throw new IllegalStateException("a bug, logged");
                    },
                    1,
                    TimeUnit.MILLISECONDS);
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(5))
                    .until(failed::isDone);
            // A second task runs after it on the same thread, so the first one's afterExecute has run.
            timer.submit(() -> {}).get(5, TimeUnit.SECONDS);

            assertNull(exits.poll());
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void aThreadOfTheFactoryDyingOfAnErrorExits() throws Exception {
        Thread thread = fatal.threads("p0-loop").newThread(() -> {
            throw new OutOfMemoryError("simulated");
        });
        thread.start();

        assertEquals(FatalErrors.EXIT_CODE, exits.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void anErrorCompletingAFutureExitsWhenSeen() throws Exception {
        CompletableFuture<Object> future = CompletableFuture.supplyAsync(() -> {
            throw new OutOfMemoryError("simulated");
        });
        Throwable seen = future.handle((ok, error) -> error).get(5, TimeUnit.SECONDS);

        fatal.checkFatal(new CompletionException(seen));

        assertEquals(FatalErrors.EXIT_CODE, exits.poll(5, TimeUnit.SECONDS));
    }
}
