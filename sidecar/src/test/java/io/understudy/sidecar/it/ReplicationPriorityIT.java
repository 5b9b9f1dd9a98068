package io.understudy.sidecar.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.replication.ReplicaStatus;
import io.understudy.sidecar.testing.NetProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replication.highPriorityPartitions} on a throttled link: node-1 leads both partitions, node-2's peer
 * listener sits behind a 200 KiB/s proxy, and each partition is offered 120 KiB/s of async writes (240 KiB/s in
 * all, more than the link carries). Shared evenly, both partitions would fall behind alike; with partition 0 marked
 * high it takes what it needs and only partition 1 falls behind. Relations between lags are checked, never times.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReplicationPriorityIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final int LINK_BYTES_PER_SECOND = 100 * 1024;
    private static final int VALUE_BYTES = 4096;
    /** Per partition WRITERS writers, each writing 4 KiB every WRITE_EVERY_MS: 15 writes/s, 60% of the link. */
    private static final int WRITERS = 4;

    private static final long WRITE_EVERY_MS = 266;

    @TempDir
    Path dir;

    private static long commitLag(LocalCluster cluster, int partition) {
        ReplicaStatus status = cluster.sidecar(1).replicas().replica(partition).status();
        return status.logEnd() - status.commitIndex();
    }

    private static List<String> keysOf(LocalCluster cluster, int partition, int count) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < count; i++) {
            if (cluster.sidecar(1).replicas().partitionOf("key-" + i) == partition) keys.add("key-" + i);
        }
        return keys;
    }

    @Test
    void aHighPriorityPartitionKeepsUpOnAThrottledLinkWhileANormalOneFallsBehind() throws Exception {
        String replication = "replicaLagMaxMs: 600000, leaderBalanceDelayMs: 0, maxBatchEntries: 4, "
                + "requestTimeoutMs: 20000, linkWindowBytes: 16384, highPriorityPartitions: [0]";
        ScheduledExecutorService writers = Executors.newScheduledThreadPool(2 * WRITERS);
        try (LocalCluster cluster = new LocalCluster(dir, replication, 2);
                NetProxy proxy = NetProxy.start(cluster.ports(2)[1], 0, LINK_BYTES_PER_SECOND)) {
            cluster.start(1);
            await().atMost(DEADLINE).until(() -> cluster.leader(0) == 1 && cluster.leader(1) == 1);
            cluster.advertisePeer(2, "http://127.0.0.1:" + proxy.port()).start(2);
            cluster.awaitIsr(2, DEADLINE);

            String value = "{\"pad\":\"" + "x".repeat(VALUE_BYTES - 10) + "\"}";
            AtomicLong errors = new AtomicLong();
            for (int partition = 0; partition < 2; partition++) {
                List<String> keys = keysOf(cluster, partition, 16);
                AtomicInteger next = new AtomicInteger();
                for (int w = 0; w < WRITERS; w++) {
                    writers.scheduleAtFixedRate(
                            () -> {
                                try {
                                    String key = keys.get(next.getAndIncrement() % keys.size());
                                    if (cluster.write(1, key, value, "async").statusCode() != 200)
                                        errors.incrementAndGet();
                                } catch (Exception e) {
                                    errors.incrementAndGet(); // counted; the lags below are what the test is about
                                }
                            },
                            w * WRITE_EVERY_MS / WRITERS,
                            WRITE_EVERY_MS,
                            TimeUnit.MILLISECONDS);
                }
            }

            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> commitLag(cluster, 1) >= 100);
            long normalLag = commitLag(cluster, 1);
            long highLag = commitLag(cluster, 0);

            assertTrue(
                    highLag < normalLag / 4,
                    "high-priority partition 0 is " + highLag + " entries behind, normal partition 1 " + normalLag
                            + " (write errors: " + errors + ")");
        } finally {
            writers.shutdownNow();
            writers.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
