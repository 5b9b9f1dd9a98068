package io.understudy.sidecar.api;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The request-body bytes this member holds at once, reserved before a body is read and released when its exchange
 * ends. Thousands of connections each sending a large body are refused (429 {@code OVERLOADED}) instead of
 * exhausting the heap: a body is only read once its bytes are reserved.
 */
public final class BodyBudget {
    private final long capacity;
    private final AtomicLong reserved = new AtomicLong();

    public BodyBudget(long capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        this.capacity = capacity;
    }

    /** A quarter of the heap, and never less than one body of {@code maxBodyBytes}. */
    public static BodyBudget forHeap(long maxHeapBytes, long maxBodyBytes) {
        return new BodyBudget(Math.max(maxHeapBytes / 4, maxBodyBytes));
    }

    public boolean tryReserve(long bytes) {
        while (true) {
            long now = reserved.get();
            if (now + bytes > capacity) return false;
            if (reserved.compareAndSet(now, now + bytes)) return true;
        }
    }

    public void release(long bytes) {
        reserved.addAndGet(-bytes);
    }

    public long reserved() {
        return reserved.get();
    }

    public long capacity() {
        return capacity;
    }
}
