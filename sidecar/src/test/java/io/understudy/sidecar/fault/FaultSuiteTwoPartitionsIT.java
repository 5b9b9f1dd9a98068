package io.understudy.sidecar.fault;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fault suite with two partitions: each fault on a leader or follower picks one partition at random, so the
 * other partition's leader (possibly the same member) lives through it too. The checker covers both partitions.
 *
 * <p>Run alone: {@code mvn -B verify -pl sidecar -Dit.test=FaultSuiteTwoPartitionsIT}.
 */
@Tag("fault")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class FaultSuiteTwoPartitionsIT {

    @Test
    void everyFaultOnceKeepsEverySyncWriteInBothPartitions() {
        FaultRun.run("FaultSuiteTwoPartitionsIT", ClusterSettings.suite(2), Duration.ZERO);
    }
}
