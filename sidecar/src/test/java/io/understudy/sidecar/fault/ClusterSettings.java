package io.understudy.sidecar.fault;

import java.time.Duration;

/** What the fault suites vary about a cluster. */
record ClusterSettings(
        int members, int partitions, int minInSync, Duration sessionTimeout, Duration replicaLagMax, String fsync) {
    /** Three members, session 4 s, minInSync 2, and a short replica lag so that ISR shrink happens within a fault. */
    static ClusterSettings suite(int partitions) {
        return new ClusterSettings(3, partitions, 2, Duration.ofSeconds(4), Duration.ofSeconds(3), "always");
    }

    /** The same cluster with another {@code replication.fsync} ({@code always}, {@code interval}, {@code never}). */
    ClusterSettings withFsync(String policy) {
        return new ClusterSettings(members, partitions, minInSync, sessionTimeout, replicaLagMax, policy);
    }
}
