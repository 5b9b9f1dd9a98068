package io.understudy.sidecar.metrics;

import io.understudy.sidecar.coordination.MemberInfo;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the meters read of this member's group: its partitions (index = partition number), the live members, the
 * group's {@code minInSync} and whether the ZooKeeper connection is up.
 */
public record GroupSource(
        List<PartitionSource> partitions,
        Supplier<Map<String, MemberInfo>> liveMembers,
        int minInSync,
        BooleanSupplier zookeeperConnected) {}
