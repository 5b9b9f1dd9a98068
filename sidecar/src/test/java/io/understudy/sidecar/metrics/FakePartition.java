package io.understudy.sidecar.metrics;

import io.understudy.sidecar.replication.ReplicaRole;
import io.understudy.sidecar.replication.ReplicaStatus;
import java.util.List;
import java.util.Map;

/** A partition replica for the meters to read: every field is set by the test. */
final class FakePartition {
    volatile ReplicaRole role = ReplicaRole.FOLLOWER;
    volatile String leader = "node-2";
    volatile long epoch = 3;
    volatile long logEnd = 10;
    volatile long commitIndex = 8;
    volatile long applied = 5;
    volatile long deliveryFailures;
    volatile List<String> isr = List.of("node-1", "node-2");
    volatile Map<String, Long> followerMatches = Map.of();
    private final int partition;

    FakePartition(int partition) {
        this.partition = partition;
    }

    ReplicaStatus status() {
        return new ReplicaStatus(partition, role, leader, epoch, logEnd, commitIndex, isr, 0, null, 0, null);
    }

    PartitionSource source() {
        return new PartitionSource(this::status, () -> followerMatches, () -> applied, () -> deliveryFailures);
    }
}
