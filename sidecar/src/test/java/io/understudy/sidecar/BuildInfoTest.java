package io.understudy.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BuildInfoTest {

    @Test
    void placeholdersTheBuildDidNotFillAreUnknown() {
        Properties outsideGit = new Properties();
        outsideGit.setProperty("version", "0.1.0");
        outsideGit.setProperty("commit", "${git.commit.id.abbrev}");

        BuildInfo info = BuildInfo.of(outsideGit);

        assertEquals(new BuildInfo("0.1.0", BuildInfo.UNKNOWN), info);
        assertEquals("understudy-sidecar 0.1.0 (commit unknown)", info.describe("understudy-sidecar"));
    }

    @Test
    void missingResourceValuesAreUnknown() {
        assertEquals(new BuildInfo(BuildInfo.UNKNOWN, BuildInfo.UNKNOWN), BuildInfo.of(new Properties()));
    }

    @Test
    void theBuiltResourceCarriesTheProjectVersion() {
        BuildInfo info = BuildInfo.current();

        assertNotEquals(BuildInfo.UNKNOWN, info.version());
        assertTrue(info.version().matches("\\d+\\.\\d+\\.\\d+.*"), info.version());
    }
}
