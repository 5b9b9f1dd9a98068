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
 */
public record LeaderSettings(
        int minInSync, Duration replicaLagMax, SenderSettings sender, Duration balanceDelay, int maxPendingWrites) {}
