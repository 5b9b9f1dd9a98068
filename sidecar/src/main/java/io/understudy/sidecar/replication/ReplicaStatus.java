package io.understudy.sidecar.replication;

import java.util.List;

/**
 * A consistent-enough snapshot of one partition replica for status pages and metrics.
 *
 * @param failure why the replica stopped for good (role {@link ReplicaRole#FAILED}), or null
 */
public record ReplicaStatus(
        int partition,
        ReplicaRole role,
        String leader,
        long epoch,
        long logEnd,
        long commitIndex,
        List<String> isr,
        long uncleanSince,
        String failure) {}
