package io.understudy.sidecar.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.BuildInfo;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BuildInfoMetricTest {

    @Test
    void scrapeNamesTheBuildAsUnderstudyBuildInfo() {
        SidecarMetrics metrics = new SidecarMetrics("g", "node-1", 0, Clock.systemUTC());

        metrics.buildInfo(new BuildInfo("1.2.3", "abc1234"));

        String scrape = metrics.registry().scrape();
        assertTrue(
                scrape.contains(
                        "understudy_build_info{commit=\"abc1234\",group=\"g\",member=\"node-1\",version=\"1.2.3\"} 1"),
                scrape);
    }
}
