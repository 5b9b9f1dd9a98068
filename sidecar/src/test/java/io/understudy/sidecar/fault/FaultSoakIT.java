package io.understudy.sidecar.fault;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The soak: the fault suite repeated, round after round of every fault kind in seeded random order, for
 * {@code understudy.soak.minutes} (default 30), then the same checker. Excluded by default (tag {@code soak}).
 *
 * <pre>
 * mvn -B verify -pl sidecar -Dexcluded.tags= -Dit.test=FaultSoakIT -Dunderstudy.soak.minutes=30
 * </pre>
 *
 * Add {@code -Dunderstudy.fault.seed=N} to replay a run. The report lands in
 * {@code sidecar/target/fault-logs/FaultSoakIT-<seed>-<time>/report.txt}.
 */
@Tag("soak")
@Timeout(value = 8, unit = TimeUnit.HOURS)
class FaultSoakIT {

    @Test
    void roundsOfFaultsForMinutesKeepEverySyncWrite() {
        double minutes = Double.parseDouble(System.getProperty("understudy.soak.minutes", "30"));
        FaultRun.run("FaultSoakIT", ClusterSettings.suite(1), Duration.ofMillis((long) (minutes * 60_000)));
    }
}
