package io.understudy.sidecar.fault;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A leader cut off from every follower while it keeps its ZooKeeper session (issue 3): it stays leader, shrinks
 * the ISR to itself after replicaLagMaxMs and must then refuse sync writes (minInSync 2) rather than acknowledge
 * them on one copy; writes it held in flight when the ISR shrank must not be acknowledged either. The checker's
 * rule (e) fails on any sync write begun and acknowledged while the leader could reach no follower.
 *
 * <p>Run alone: {@code mvn -B verify -pl sidecar -Dit.test=LeaderIsolationIT}.
 */
@Tag("fault")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LeaderIsolationIT {

    @Test
    void leaderCutOffFromItsFollowersAcknowledgesNoSyncWriteOnItsOwnCopy() {
        FaultRun.run(
                "LeaderIsolationIT",
                ClusterSettings.suite(1),
                Duration.ZERO,
                nemesis -> List.of(FaultKind.ISOLATE_LEADER, FaultKind.ISOLATE_LEADER, FaultKind.ISOLATE_LEADER));
    }
}
