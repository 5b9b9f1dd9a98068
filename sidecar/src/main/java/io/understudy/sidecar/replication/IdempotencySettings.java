package io.understudy.sidecar.replication;

import java.time.Duration;

/**
 * How long, and for how many keys, a leader remembers the {@code Idempotency-Key} of a write.
 *
 * @param window a retry within this time of the original (by the entry's timestamp) gets the original's answer
 * @param maxKeys the most keys remembered per partition; beyond it the oldest are forgotten first
 */
public record IdempotencySettings(Duration window, int maxKeys) {
    public static final IdempotencySettings DEFAULT = new IdempotencySettings(Duration.ofMinutes(10), 100_000);

    public IdempotencySettings {
        if (window.isNegative() || window.isZero()) throw new IllegalArgumentException("window must be positive");
        if (maxKeys < 1) throw new IllegalArgumentException("maxKeys must be >= 1, was " + maxKeys);
    }
}
