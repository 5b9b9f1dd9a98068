package io.understudy.sidecar.replication;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link Ticker} that moves only when a test advances it. Starts far from zero, as real readings may. */
final class ManualTicker implements Ticker {
    private final AtomicLong nanos = new AtomicLong(-7_000_000_000_000L);

    @Override
    public long nanos() {
        return nanos.get();
    }

    void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }
}
