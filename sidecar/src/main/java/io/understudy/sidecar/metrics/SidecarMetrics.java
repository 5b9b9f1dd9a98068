package io.understudy.sidecar.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Info;
import io.understudy.sidecar.BuildInfo;
import io.understudy.sidecar.log.ChannelForce;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * This member's meters, in one registry scraped at {@code /metrics}: writes and their latency, log fsyncs, the
 * partitions ({@link PartitionMeters}, once {@link #watch} is called), elections and ISR changes
 * ({@link ReplicaEvents}), and the JVM ({@link JvmMeters}). Latencies are histograms with fixed buckets, so that
 * they add up across members ({@code histogram_quantile} over {@code sum by (le)}).
 */
public final class SidecarMetrics implements AutoCloseable {
    /** Buckets of {@code understudy_write_latency_seconds}: 0.5 ms to 10 s. */
    static final List<Duration> WRITE_BUCKETS =
            millis(0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000);
    /** Buckets of {@code understudy_fsync_duration_seconds}: 0.1 ms to 2.5 s. */
    static final List<Duration> FSYNC_BUCKETS =
            millis(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> writes = new ConcurrentHashMap<>();
    private final Map<String, Timer> latencies = new ConcurrentHashMap<>();
    private final String group;
    private final String member;
    private final Timer fsyncs;
    private final ReplicaEvents events;
    private final JvmMeters jvm;
    private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();

    public SidecarMetrics(String group, String member, int partitions, Clock clock) {
        this(group, member, partitions, clock, ReplicaEvents.DEFAULT_CAPACITY);
    }

    public SidecarMetrics(String group, String member, int partitions, Clock clock, int eventCapacity) {
        this.group = group;
        this.member = member;
        registry.config().commonTags("group", group, "member", member);
        // First: JvmMeters configures meter filters, and Micrometer applies a filter only to meters registered after
        // it.
        this.jvm = new JvmMeters(registry);
        this.fsyncs = Timer.builder("understudy_fsync_duration")
                .description("time to force a log file to the disk (fsync), failed forces included")
                .serviceLevelObjectives(FSYNC_BUCKETS.toArray(Duration[]::new))
                .register(registry);
        this.events = new ReplicaEvents(registry, partitions, clock, eventCapacity);
    }

    private static List<Duration> millis(double... bounds) {
        return java.util.Arrays.stream(bounds)
                .mapToObj(ms -> Duration.ofNanos(Math.round(ms * 1_000_000)))
                .toList();
    }

    /** Registers the gauges of the group's partitions, read from {@code group} at every scrape. Call once. */
    public void watch(GroupSource group) {
        PartitionMeters partitions = new PartitionMeters(registry, group);
        beforeScrape.add(partitions::refresh);
    }

    /** Wraps a log's {@link ChannelForce} so that every fsync is timed. */
    public ChannelForce timed(ChannelForce force) {
        return new TimedForce(force, fsyncs, registry.config().clock());
    }

    /** Where this member's elections and ISR changes are recorded. */
    public ReplicaEvents events() {
        return events;
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

    /** The Prometheus text format of every meter, per-follower series brought up to date first. */
    public String scrape() {
        beforeScrape.forEach(Runnable::run);
        return registry.scrape();
    }

    /** Counts one write by durability and outcome ({@code ok} or an HTTP status) and times it. */
    public void write(String durability, String outcome, Duration took) {
        String d = durability.toLowerCase(Locale.ROOT);
        writes.computeIfAbsent(
                        d + "/" + outcome,
                        k -> Counter.builder("understudy_writes")
                                .description("writes received on POST /v1/entries, by durability and outcome")
                                .tags("durability", d, "outcome", outcome)
                                .register(registry))
                .increment();
        if (outcome.equals("ok")) {
            latencies
                    .computeIfAbsent(
                            d,
                            k -> Timer.builder("understudy_write_latency")
                                    .description("time to acknowledge a successful write, by durability")
                                    .tags("durability", d)
                                    .serviceLevelObjectives(WRITE_BUCKETS.toArray(Duration[]::new))
                                    .register(registry))
                    .record(took);
        }
    }

    @Override
    public void close() {
        jvm.close();
        registry.close();
    }
}
