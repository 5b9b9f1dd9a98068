package io.understudy.sidecar.config;

import static io.understudy.sidecar.config.ConfigFixtures.MINIMAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Configs that load but give something up, and say what. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ConfigWarningsTest {

    @Test
    void defaultConfigHasNoWarning() throws ConfigException {
        SidecarConfig config = ConfigLoader.parse(MINIMAL, Map.of());

        assertEquals(List.of(), ConfigWarnings.of(config));
    }

    @Test
    void minInSyncOfOneWarnsThatASyncWriteMayBeAcknowledgedWithOneCopy() throws ConfigException {
        SidecarConfig config = ConfigLoader.parse(MINIMAL, Map.of("UNDERSTUDY_REPLICATION_MIN_IN_SYNC", "1"));

        List<String> warnings = ConfigWarnings.of(config);

        assertEquals(1, warnings.size(), warnings.toString());
        String warning = warnings.get(0);
        assertTrue(warning.contains("replication.minInSync is 1"), warning);
        assertTrue(warning.contains("acknowledged with one copy"), warning);
    }
}
