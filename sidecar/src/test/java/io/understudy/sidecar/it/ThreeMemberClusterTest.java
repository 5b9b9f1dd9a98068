package io.understudy.sidecar.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Each test gets three running members with a full ISR, and loses them afterwards. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class ThreeMemberClusterTest {
    static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    LocalCluster cluster;

    @BeforeEach
    void startCluster() throws Exception {
        cluster = new LocalCluster(dir, "");
        cluster.startAll(3, DEADLINE);
    }

    @AfterEach
    void stopCluster() throws Exception {
        cluster.close();
    }
}
