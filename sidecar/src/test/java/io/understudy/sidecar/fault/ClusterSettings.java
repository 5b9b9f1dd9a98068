package io.understudy.sidecar.fault;

import java.time.Duration;

/** What the fault suites vary about a cluster. */
record ClusterSettings(int members, int partitions, int minInSync, Duration sessionTimeout, Duration replicaLagMax) {
    /** Three members, session 4 s, minInSync 2, and a short replica lag so that ISR shrink happens within a fault. */
    static ClusterSettings suite(int partitions) {
        return new ClusterSettings(3, partitions, 2, Duration.ofSeconds(4), Duration.ofSeconds(3));
    }
}
