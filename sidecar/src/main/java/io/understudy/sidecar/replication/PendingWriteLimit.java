package io.understudy.sidecar.replication;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The most writes one partition holds at once, from the moment they are taken to their answer: queued for the
 * partition loop, in the group commit, or waiting for the ISR. Counted before anything is queued, so a flood is
 * refused at the door ({@link OverloadedException}, answered 429) instead of piling up in memory.
 */
final class PendingWriteLimit {
    private final int max;
    private final AtomicInteger held = new AtomicInteger();

    PendingWriteLimit(int max) {
        if (max < 1) throw new IllegalArgumentException("max must be at least 1, was " + max);
        this.max = max;
    }

    /** Takes a place; false when all {@code max} are taken. */
    boolean tryAcquire() {
        while (true) {
            int now = held.get();
            if (now >= max) return false;
            if (held.compareAndSet(now, now + 1)) return true;
        }
    }

    void release() {
        held.decrementAndGet();
    }

    int held() {
        return held.get();
    }

    int max() {
        return max;
    }
}
