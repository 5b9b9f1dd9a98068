package io.understudy.sidecar.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.replication.ReplicaStatus;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member with an empty data dir joins a running group while a client writes {@code sync} throughout: it gets
 * everything, its app applies everything, and it is in the ISR only while it holds every committed entry
 * (docs/design.md rule 6).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MemberJoinIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void emptyMemberJoinsWhileSyncWritesContinueAndEntersIsrOnlyOnceCaughtUp() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, "")) {
            cluster.startAll(3, DEADLINE);
            for (int i = 0; i < 1500; i++) {
                assertEquals(200, cluster.write(1, "a" + i, "v" + i, "async").statusCode());
            }
            List<String> violations = new ArrayList<>();
            try (SyncWriter writer = new SyncWriter(cluster, 1, "s")) {
                await().atMost(DEADLINE).until(() -> writer.acknowledged().size() >= 50);

                cluster.start(4);

                // Rule 6, sampled: read the commit index first, then the ISR, then the joiner's log end. Were the
                // joiner in the ISR without every entry committed before, its log end would trail that commit.
                await().atMost(DEADLINE).pollInterval(Duration.ofMillis(5)).until(() -> {
                    int leader = cluster.leader();
                    if (leader < 0) return false;
                    ReplicaStatus before =
                            cluster.sidecar(leader).replicas().replica(0).status();
                    ReplicaStatus now =
                            cluster.sidecar(leader).replicas().replica(0).status();
                    boolean joined = now.isr().contains("node-4");
                    long joinerEnd =
                            cluster.sidecar(4).replicas().replica(0).status().logEnd();
                    if (joined && joinerEnd < before.commitIndex()) {
                        violations.add("node-4 in ISR " + now.isr() + " with log end " + joinerEnd
                                + " below commit index " + before.commitIndex());
                    }
                    return joined;
                });
                await().atMost(DEADLINE).until(() -> writer.acknowledged().size() >= 100 + 50);
                writer.close();
                assertEquals(List.of(), writer.failures(), "sync writes that failed while node-4 joined");
                assertEquals(List.of(), violations);

                Set<String> expected = new HashSet<>(writer.acknowledged());
                for (int i = 0; i < 1500; i++) expected.add("a" + i);
                await().atMost(DEADLINE)
                        .until(() -> new HashSet<>(cluster.app(4).keys()).containsAll(expected));
                assertTrue(
                        cluster.app(4).anomalies().isEmpty(),
                        cluster.app(4).anomalies().toString());
                assertEquals(
                        4,
                        cluster.sidecar(cluster.leader())
                                .replicas()
                                .replica(0)
                                .status()
                                .isr()
                                .size());
            }
        }
    }

    @Test
    void joinerCountsForMinInSyncOnlyOnceInTheIsr() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, ", minInSync: 3")) {
            cluster.startAll(2, DEADLINE);
            for (int i = 0; i < 300; i++) {
                assertEquals(200, cluster.write(1, "a" + i, "v" + i, "async").statusCode());
            }
            HttpResponse<String> tooFew = cluster.write(1, "refused", "v", "sync");
            assertEquals(503, tooFew.statusCode(), tooFew.body());
            assertTrue(tooFew.body().contains("NOT_ENOUGH_REPLICAS"), tooFew.body());

            cluster.start(3);

            cluster.awaitIsr(3, DEADLINE);
            assertEquals(200, cluster.write(3, "accepted", "v", "sync").statusCode());
            await().atMost(DEADLINE).until(() -> cluster.app(3).keys().contains("accepted"));
            assertTrue(cluster.app(3).keys().containsAll(List.of("a0", "a299")));
            assertFalse(cluster.app(3).keys().contains("refused"));
        }
    }
}
