package io.understudy.sidecar.replication;

import java.time.Duration;

/**
 * Rules a leader enforces.
 *
 * @param minInSync the smallest ISR that still takes {@code sync} writes
 * @param replicaLagMax how long a live ISR member may go without catching up before it is removed
 * @param sender how to talk to followers
 * @param balanceDelay how long to lead before handing the partition to its preferred member; zero: never
 * @param maxPendingWrites the most writes the partition holds at once; more are refused as overloaded
 * @param idempotency how long and how many {@code Idempotency-Key}s the leader remembers
 */
public record LeaderSettings(
        int minInSync,
        Duration replicaLagMax,
        SenderSettings sender,
        Duration balanceDelay,
        int maxPendingWrites,
        IdempotencySettings idempotency) {

    /** The default bound on pending writes (as {@code replication.maxPendingWrites}). */
    public static final int DEFAULT_MAX_PENDING_WRITES = 4096;

    /** Settings with the default bound on pending writes and the default {@code Idempotency-Key} window. */
    public LeaderSettings(int minInSync, Duration replicaLagMax, SenderSettings sender, Duration balanceDelay) {
        this(minInSync, replicaLagMax, sender, balanceDelay, DEFAULT_MAX_PENDING_WRITES, IdempotencySettings.DEFAULT);
    }
}
