package io.understudy.sidecar.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.coordination.MemberInfo;
import io.understudy.sidecar.replication.ReplicaRole;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Each meter family of {@link SidecarMetrics}, over fake partitions, read back from the Prometheus scrape. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SidecarMetricsTest {
    private final FakePartition p0 = new FakePartition(0);
    private final FakePartition p1 = new FakePartition(1);
    private final Map<String, MemberInfo> live = new ConcurrentHashMap<>();
    private final AtomicBoolean connected = new AtomicBoolean(true);
    private final SidecarMetrics metrics = new SidecarMetrics("g", "node-1", 2, Clock.systemUTC());

    @TempDir
    Path dir;

    SidecarMetricsTest() {
        metrics.watch(new GroupSource(List.of(p0.source(), p1.source()), () -> Map.copyOf(live), 2, connected::get));
    }

    @AfterEach
    void close() {
        metrics.close();
    }

    private Scrape scrape() {
        return new Scrape(metrics.scrape());
    }

    private static MemberInfo alive(String id, long logEnd) {
        return new MemberInfo(
                id,
                "http://" + id,
                "dev",
                0,
                "dir-" + id,
                0,
                Map.of(0, new MemberInfo.PartitionProgress(logEnd, 0, 3, 0)),
                true);
    }

    @Test
    void eachPartitionExportsItsRoleAsOneSeriesPerRoleWithOnlyTheCurrentOneAtOne() {
        p1.role = ReplicaRole.LEADER;
        Scrape s = scrape();
        assertEquals(1, s.value("understudy_role", "partition=\"0\"", "role=\"follower\""));
        assertEquals(0, s.value("understudy_role", "partition=\"0\"", "role=\"leader\""));
        assertEquals(0, s.value("understudy_role", "partition=\"0\"", "role=\"candidate\""));
        assertEquals(0, s.value("understudy_role", "partition=\"0\"", "role=\"failed\""));
        assertEquals(1, s.value("understudy_role", "partition=\"1\"", "role=\"leader\""));
        assertEquals(1, s.value("understudy_leader", "partition=\"1\""));

        p0.role = ReplicaRole.FAILED;
        assertEquals(1, scrape().value("understudy_role", "partition=\"0\"", "role=\"failed\""));
        assertEquals(1, scrape().value("understudy_partition_failed", "partition=\"0\""));
    }

    @Test
    void epochIndexesAndLagsAreReadAtScrapeTime() {
        live.put("node-1", alive("node-1", 10));
        live.put("node-2", alive("node-2", 14));
        Scrape s = scrape();
        assertEquals(3, s.value("understudy_epoch", "partition=\"0\""));
        assertEquals(10, s.value("understudy_log_end", "partition=\"0\""));
        assertEquals(8, s.value("understudy_commit_index", "partition=\"0\""));
        assertEquals(5, s.value("understudy_applied_index", "partition=\"0\""));
        assertEquals(3, s.value("understudy_apply_lag_entries", "partition=\"0\""), "commit 8 - applied 5");
        assertEquals(4, s.value("understudy_log_lag_entries", "partition=\"0\""), "node-2's heartbeat says 14");

        p0.logEnd = 20;
        p0.epoch = 4;
        Scrape later = scrape();
        assertEquals(0, later.value("understudy_log_lag_entries", "partition=\"0\""));
        assertEquals(4, later.value("understudy_epoch", "partition=\"0\""));
    }

    @Test
    void isrHealthSaysUnderReplicatedWhenALiveMemberIsOutOfTheIsrAndUnderMinInSyncBelowIt() {
        live.put("node-1", alive("node-1", 10));
        live.put("node-2", alive("node-2", 10));
        Scrape whole = scrape();
        assertEquals(2, whole.value("understudy_isr_size", "partition=\"0\""));
        assertEquals(2, whole.value("understudy_replicas", "partition=\"0\""));
        assertEquals(0, whole.value("understudy_under_replicated", "partition=\"0\""));
        assertEquals(0, whole.value("understudy_under_min_in_sync", "partition=\"0\""));
        assertEquals(2, whole.value("understudy_min_in_sync"));

        live.put("node-3", alive("node-3", 2)); // a member catching up, not in the ISR yet
        p0.isr = List.of("node-2");
        Scrape shrunk = scrape();
        assertEquals(3, shrunk.value("understudy_replicas", "partition=\"0\""));
        assertEquals(1, shrunk.value("understudy_under_replicated", "partition=\"0\""));
        assertEquals(1, shrunk.value("understudy_under_min_in_sync", "partition=\"0\""));
    }

    @Test
    void theLeaderExportsEachFollowersLagAndTheSeriesGoWhenItNoLongerLeads() {
        p0.role = ReplicaRole.LEADER;
        p0.logEnd = 100;
        p0.followerMatches = Map.of("node-2", 100L, "node-3", 60L);
        Scrape leading = scrape();
        assertEquals(0, leading.value("understudy_follower_lag_entries", "partition=\"0\"", "follower=\"node-2\""));
        assertEquals(40, leading.value("understudy_follower_lag_entries", "partition=\"0\"", "follower=\"node-3\""));

        p0.role = ReplicaRole.FOLLOWER;
        assertTrue(scrape().samples("understudy_follower_lag_entries").isEmpty(), "a follower sees no followers");
    }

    @Test
    void zooKeeperConnectionIsOneWhileConnected() {
        assertEquals(1, scrape().value("understudy_zookeeper_connected"));
        connected.set(false);
        assertEquals(0, scrape().value("understudy_zookeeper_connected"));
    }

    @Test
    void deliveryFailuresAreACounter() {
        p0.deliveryFailures = 7;
        Scrape s = scrape();
        assertTrue(s.has("# TYPE understudy_delivery_failures_total counter"), s.toString());
        assertEquals(7, s.value("understudy_delivery_failures_total", "partition=\"0\""));
    }

    @Test
    void writeLatencyIsAHistogramWithFixedBucketsThatAddUpAcrossMembers() {
        metrics.write("SYNC", "ok", Duration.ofMillis(3));
        metrics.write("SYNC", "ok", Duration.ofMillis(30));
        metrics.write("SYNC", "503", Duration.ofMillis(1));
        Scrape s = scrape();
        assertTrue(s.has("# TYPE understudy_write_latency_seconds histogram"), s.toString());
        assertEquals(0, s.value("understudy_write_latency_seconds_bucket", "durability=\"sync\"", "le=\"0.0025\""));
        assertEquals(1, s.value("understudy_write_latency_seconds_bucket", "durability=\"sync\"", "le=\"0.005\""));
        assertEquals(2, s.value("understudy_write_latency_seconds_bucket", "durability=\"sync\"", "le=\"+Inf\""));
        assertEquals(
                SidecarMetrics.WRITE_BUCKETS.size() + 1,
                s.samples("understudy_write_latency_seconds_bucket", "durability=\"sync\"")
                        .size(),
                "the fixed buckets and +Inf, the same on every member");
        assertEquals(1, s.value("understudy_writes_total", "durability=\"sync\"", "outcome=\"503\""));
    }

    @Test
    void everyForceOfALogFileIsTimedIntoTheFsyncHistogram() throws Exception {
        var timed = metrics.timed((channel, metaData) -> channel.force(metaData));
        try (FileChannel ch = FileChannel.open(
                Files.createFile(dir.resolve("f")), StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            timed.force(ch, false);
            timed.force(ch, true);
        }
        Scrape s = scrape();
        assertTrue(s.has("# TYPE understudy_fsync_duration_seconds histogram"), s.toString());
        assertEquals(2, s.value("understudy_fsync_duration_seconds_count"));
        assertEquals(2, s.value("understudy_fsync_duration_seconds_bucket", "le=\"+Inf\""));
        assertEquals(
                SidecarMetrics.FSYNC_BUCKETS.size() + 1,
                s.samples("understudy_fsync_duration_seconds_bucket").size());
    }

    @Test
    void jvmAndProcessMetersAreExported() {
        Scrape s = scrape();
        for (String name : List.of(
                "jvm_memory_used_bytes",
                "jvm_threads_live_threads",
                "jvm_gc_memory_allocated_bytes_total",
                "system_cpus",
                "process_uptime_seconds")) {
            assertTrue(!s.samples(name).isEmpty(), name + " missing from\n" + s);
        }
    }

    @Test
    void everySeriesCarriesTheGroupAndMember() {
        assertTrue(scrape().value("understudy_epoch", "group=\"g\"", "member=\"node-1\"", "partition=\"1\"") > 0);
    }
}
