package io.understudy.sidecar.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.understudy.sidecar.replication.ReplicaRole;
import io.understudy.sidecar.replication.ReplicaStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The gauges of every partition on this member (role, epoch, indexes, lags, ISR health), the leader's lag of each
 * follower, and the ZooKeeper connection. Gauges read their {@link GroupSource} when scraped; the per-follower
 * series come and go with the followers, so {@link #refresh()} must run before each scrape.
 */
final class PartitionMeters {
    private final GroupSource group;
    private final MultiGauge followerLag;

    PartitionMeters(MeterRegistry registry, GroupSource group) {
        this.group = group;
        Gauge.builder(
                        "understudy_zookeeper_connected",
                        group,
                        g -> g.zookeeperConnected().getAsBoolean() ? 1 : 0)
                .description("1 while this member's ZooKeeper connection is up, 0 while it is suspended or lost")
                .register(registry);
        Gauge.builder("understudy_min_in_sync", group, GroupSource::minInSync)
                .description("the group's replication.minInSync: ISR members a sync write needs")
                .register(registry);
        for (int p = 0; p < group.partitions().size(); p++)
            register(registry, p, group.partitions().get(p));
        this.followerLag = MultiGauge.builder("understudy_follower_lag_entries")
                .description(
                        "on the partition's leader: entries each follower's last answer trails the leader's log end")
                .register(registry);
    }

    private void register(MeterRegistry registry, int partition, PartitionSource source) {
        Tags tags = Tags.of("partition", Integer.toString(partition));
        for (ReplicaRole role : ReplicaRole.values()) {
            Gauge.builder("understudy_role", source, s -> s.status().get().role() == role ? 1 : 0)
                    .description("1 for the role this member plays for the partition (leader, follower, candidate,"
                            + " failed), 0 for the others")
                    .tags(tags.and("role", role.name().toLowerCase(Locale.ROOT)))
                    .register(registry);
        }
        gauge(
                registry,
                "understudy_leader",
                tags,
                "1 while this member leads the partition",
                source,
                s -> s.role() == ReplicaRole.LEADER ? 1 : 0);
        gauge(
                registry,
                "understudy_partition_failed",
                tags,
                "1 once this member's replica of the partition has stopped for good (a failed disk or a conflict"
                        + " with a committed entry)",
                source,
                s -> s.role() == ReplicaRole.FAILED ? 1 : 0);
        gauge(
                registry,
                "understudy_epoch",
                tags,
                "the partition's epoch as this member knows it",
                source,
                s -> s.epoch());
        gauge(registry, "understudy_log_end", tags, "highest index in this member's log", source, s -> s.logEnd());
        gauge(
                registry,
                "understudy_commit_index",
                tags,
                "highest committed index known to this member",
                source,
                s -> s.commitIndex());
        Gauge.builder("understudy_applied_index", source, s -> s.appliedIndex().getAsLong())
                .description("highest index this member's app confirmed")
                .tags(tags)
                .register(registry);
        gauge(
                registry,
                "understudy_log_lag_entries",
                tags,
                "entries this member's log end trails the furthest log end known (its own or a live member's heartbeat)",
                source,
                s -> s.furthestLogEnd(group.liveMembers().get()) - s.logEnd());
        Gauge.builder(
                        "understudy_apply_lag_entries",
                        source,
                        s -> Math.max(
                                0,
                                s.status().get().commitIndex()
                                        - s.appliedIndex().getAsLong()))
                .description("committed entries this member's app has not applied yet")
                .tags(tags)
                .register(registry);
        gauge(
                registry,
                "understudy_isr_size",
                tags,
                "members in the partition's ISR",
                source,
                s -> s.isr().size());
        gauge(
                registry,
                "understudy_replicas",
                tags,
                "members replicating the partition as seen here: the live members and the ISR members",
                source,
                s -> s.replicaSet(group.liveMembers().get()).size());
        gauge(
                registry,
                "understudy_under_replicated",
                tags,
                "1 while the ISR is smaller than understudy_replicas (a live member is not in sync)",
                source,
                s -> s.isr().size() < s.replicaSet(group.liveMembers().get()).size() ? 1 : 0);
        gauge(
                registry,
                "understudy_under_min_in_sync",
                tags,
                "1 while the ISR has fewer members than minInSync: sync writes are refused",
                source,
                s -> s.isr().size() < group.minInSync() ? 1 : 0);
        FunctionCounter.builder(
                        "understudy_delivery_failures",
                        source,
                        s -> s.deliveryFailures().getAsLong())
                .description("deliveries to this member's app that failed (and were retried)")
                .tags(tags)
                .register(registry);
    }

    private static void gauge(
            MeterRegistry registry,
            String name,
            Tags tags,
            String description,
            PartitionSource source,
            ToDoubleFunction<ReplicaStatus> value) {
        Gauge.builder(name, source, s -> value.applyAsDouble(s.status().get()))
                .description(description)
                .tags(tags)
                .register(registry);
    }

    /** Replaces the per-follower lag series with the followers each partition's leader sends to now. */
    void refresh() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (int p = 0; p < group.partitions().size(); p++) {
            PartitionSource source = group.partitions().get(p);
            ReplicaStatus status = source.status().get();
            if (status.role() != ReplicaRole.LEADER) continue;
            for (Map.Entry<String, Long> match : source.followerMatches().get().entrySet()) {
                long lag = Math.max(0, status.logEnd() - match.getValue());
                rows.add(MultiGauge.Row.of(Tags.of("partition", Integer.toString(p), "follower", match.getKey()), lag));
            }
        }
        followerLag.register(rows, true);
    }
}
