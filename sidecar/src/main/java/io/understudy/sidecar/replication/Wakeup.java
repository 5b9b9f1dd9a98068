package io.understudy.sidecar.replication;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** A signal one thread waits on with a time-out and others raise; a raise before the wait is not lost. */
public final class Wakeup {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition raised = lock.newCondition();
    private boolean pending;

    public void signal() {
        lock.lock();
        try {
            pending = true;
            raised.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until signalled or {@code timeout} passes; clears the signal. */
    public void await(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (!pending && nanos > 0) nanos = raised.awaitNanos(nanos);
            pending = false;
        } finally {
            lock.unlock();
        }
    }

    /** Like {@link #await} but returns at once, with the interrupt flag set, when interrupted. */
    public void awaitQuietly(Duration timeout) {
        try {
            await(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
