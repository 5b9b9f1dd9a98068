package io.understudy.sidecar.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 6 item 6, as reported: three members with {@code fsync: interval}, sync writes, then {@code kill -9} of all
 * three processes (the machine stays up, so the page cache kept every byte) and a restart. The group must lead
 * again with every acknowledged write, with no operator.
 */
@Tag("fault")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WholeGroupKillIT {

    @Test
    void killingEveryMemberWithFsyncIntervalLosesNoAcknowledgedWriteAndTheGroupLeadsAgain() {
        try (Cluster cluster = Cluster.start(ClusterSettings.suite(1).withFsync("interval"), "WholeGroupKillIT")) {
            SidecarProcess leader = cluster.member(cluster.leader(0).orElseThrow());
            int acknowledged = 0;
            for (int i = 0; i < 100; i++) {
                HttpResponse<String> r =
                        leader.write("k" + i, "sync", Duration.ofSeconds(5)).orElseThrow();
                assertEquals(200, r.statusCode(), r.body());
                acknowledged++;
            }
            for (String id : cluster.ids()) cluster.kill(id);
            for (String id : cluster.ids()) cluster.member(id).process().start();

            // JVM start-up on a loaded two-core machine takes seconds; the budget is for that, not for an election.
            cluster.awaitSteady(Duration.ofSeconds(60));
            SidecarProcess next = cluster.member(cluster.leader(0).orElseThrow());
            HttpResponse<String> after =
                    next.write("after", "sync", Duration.ofSeconds(5)).orElseThrow();
            assertEquals(200, after.statusCode(), after.body());
            cluster.awaitQuiescent(Duration.ofSeconds(60));
            long logEnd = next.status()
                    .orElseThrow()
                    .path("partitions")
                    .get(0)
                    .path("logEnd")
                    .asLong();
            assertTrue(logEnd >= acknowledged + 1, "every acknowledged write survives: log end " + logEnd);
        }
    }
}
