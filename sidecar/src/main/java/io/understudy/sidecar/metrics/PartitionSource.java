package io.understudy.sidecar.metrics;

import io.understudy.sidecar.replication.ReplicaStatus;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the meters read of one partition on this member; every supplier is called on the scraping thread.
 *
 * @param followerMatches while this member leads, each follower's match index as of its last answer, else empty
 */
public record PartitionSource(
        Supplier<ReplicaStatus> status,
        Supplier<Map<String, Long>> followerMatches,
        LongSupplier appliedIndex,
        LongSupplier deliveryFailures) {}
