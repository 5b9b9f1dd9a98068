package io.understudy.sidecar.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Info;
import io.understudy.sidecar.BuildInfo;
import io.understudy.sidecar.delivery.DeliveryLoop;
import io.understudy.sidecar.replication.PartitionReplica;
import io.understudy.sidecar.replication.ReplicaRole;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** This member's meters, in one registry scraped at {@code /metrics}. */
public final class SidecarMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> writes = new ConcurrentHashMap<>();
    private final Map<String, Timer> latencies = new ConcurrentHashMap<>();
    private final String group;
    private final String member;

    public SidecarMetrics(String group, String member, List<PartitionReplica> replicas, List<DeliveryLoop> deliveries) {
        this.group = group;
        this.member = member;
        registry.config().commonTags("group", group, "member", member);
        for (int p = 0; p < replicas.size(); p++) {
            PartitionReplica replica = replicas.get(p);
            DeliveryLoop delivery = deliveries.get(p);
            Tags tags = Tags.of("partition", Integer.toString(p));
            Gauge.builder("understudy_log_end", replica, r -> r.status().logEnd())
                    .tags(tags)
                    .register(registry);
            Gauge.builder("understudy_commit_index", replica, PartitionReplica::commitIndex)
                    .tags(tags)
                    .register(registry);
            Gauge.builder("understudy_epoch", replica, r -> r.status().epoch())
                    .tags(tags)
                    .register(registry);
            Gauge.builder("understudy_isr_size", replica, r -> r.status().isr().size())
                    .tags(tags)
                    .register(registry);
            Gauge.builder("understudy_leader", replica, r -> r.status().role() == ReplicaRole.LEADER ? 1 : 0)
                    .description("1 while this member leads the partition")
                    .tags(tags)
                    .register(registry);
            Gauge.builder("understudy_partition_failed", replica, r -> r.isFailed() ? 1 : 0)
                    .description("1 once this member's replica of the partition has stopped for good (disk failure)")
                    .tags(tags)
                    .register(registry);
            Gauge.builder("understudy_applied_index", delivery, DeliveryLoop::appliedIndex)
                    .tags(tags)
                    .register(registry);
            Gauge.builder("understudy_delivery_failures", delivery, DeliveryLoop::failures)
                    .tags(tags)
                    .register(registry);
        }
    }

    /**
     * {@code understudy_build_info{version,commit} 1}: which build this member runs, for a rolling upgrade. A
     * Prometheus info metric registered with the Prometheus client itself: Micrometer's naming drops the reserved
     * {@code _info} suffix of a gauge. The group and member labels are set here, as the common tags are elsewhere.
     */
    public void buildInfo(BuildInfo build) {
        Info.builder()
                .name("understudy_build_info")
                .help("Always 1; the labels say which build this member runs")
                .labelNames("commit", "group", "member", "version")
                .register(registry.getPrometheusRegistry())
                .addLabelValues(build.commit(), group, member, build.version());
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Counts one write by durability and outcome ({@code ok} or an HTTP status) and times it. */
    public void write(String durability, String outcome, Duration took) {
        String d = durability.toLowerCase(Locale.ROOT);
        writes.computeIfAbsent(
                        d + "/" + outcome,
                        k -> Counter.builder("understudy_writes")
                                .tags("durability", d, "outcome", outcome)
                                .register(registry))
                .increment();
        if (outcome.equals("ok")) {
            latencies
                    .computeIfAbsent(
                            d,
                            k -> Timer.builder("understudy_write_latency")
                                    .tags("durability", d)
                                    .publishPercentiles(0.5, 0.99)
                                    .register(registry))
                    .record(took);
        }
    }
}
