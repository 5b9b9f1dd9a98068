package io.understudy.sidecar.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How the leader replicates and when an entry counts as durable.
 *
 * @param minInSync the smallest ISR that still accepts {@code sync} writes
 * @param defaultDurability the durability of a write that does not name one
 * @param fsync when appended entries are forced to disk
 * @param fsyncInterval the longest time between forces under {@link Fsync#INTERVAL}
 * @param replicaLagMax how long a follower may stay behind before the leader drops it from the ISR
 * @param uncleanElection whether a non-ISR member may lead when no ISR member is alive (possible data loss)
 * @param maxPendingWrites the most writes a partition's leader holds at once (queued, or waiting for the ISR);
 *     more get 429 {@code OVERLOADED}
 * @param maxBatchEntries the most entries in one append request to a follower
 * @param heartbeatInterval how often an idle leader pings followers with its commit index
 * @param requestTimeout how long one peer request may take
 * @param leaderBalanceDelay with more than one partition, how long a leader leads before it hands a partition to
 *     its preferred member (zero: never), so that leadership, and with it the write load, spreads over the members
 * @param idempotencyWindow how long a leader answers a retried {@code Idempotency-Key} with the original entry
 * @param idempotencyMaxKeys the most idempotency keys a leader remembers per partition (oldest forgotten first)
 * @param maxInFlightBatches the most append requests a leader has on the wire to one follower at once (pipelining)
 * @param compression how a leader compresses its append bodies to followers (followers read any)
 * @param highPriorityPartitions partitions whose appends go first on a busy link to a follower
 * @param linkWindowBytes with high-priority partitions, the most append bytes in flight to one follower
 */
public record ReplicationConfig(
        int minInSync,
        Durability defaultDurability,
        Fsync fsync,
        Duration fsyncInterval,
        Duration replicaLagMax,
        boolean uncleanElection,
        int maxPendingWrites,
        int maxBatchEntries,
        Duration heartbeatInterval,
        Duration requestTimeout,
        Duration leaderBalanceDelay,
        Duration idempotencyWindow,
        int idempotencyMaxKeys,
        int maxInFlightBatches,
        Compression compression,
        Set<Integer> highPriorityPartitions,
        long linkWindowBytes) {

    public ReplicationConfig {
        Objects.requireNonNull(defaultDurability, "defaultDurability");
        Objects.requireNonNull(fsync, "fsync");
        Objects.requireNonNull(fsyncInterval, "fsyncInterval");
        Objects.requireNonNull(replicaLagMax, "replicaLagMax");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(leaderBalanceDelay, "leaderBalanceDelay");
        Objects.requireNonNull(idempotencyWindow, "idempotencyWindow");
        Objects.requireNonNull(compression, "compression");
        highPriorityPartitions = Set.copyOf(highPriorityPartitions);
    }
}
