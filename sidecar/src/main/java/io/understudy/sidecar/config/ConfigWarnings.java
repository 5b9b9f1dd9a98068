package io.understudy.sidecar.config;

import java.util.ArrayList;
import java.util.List;

/**
 * What a config that loads still gives up, in words for the operator. {@code run} logs each at WARN at start, so
 * that a choice that trades safety away is never silent.
 */
public final class ConfigWarnings {
    private ConfigWarnings() {}

    /** The warnings of {@code config}, one sentence each; empty when it gives nothing up. */
    public static List<String> of(SidecarConfig config) {
        List<String> warnings = new ArrayList<>();
        if (config.replication().minInSync() < 2) {
            warnings.add(ConfigKey.REPLICATION_MIN_IN_SYNC.path() + " is "
                    + config.replication().minInSync()
                    + ": once the ISR shrinks to the leader alone, a sync write is acknowledged with one copy and is"
                    + " lost if that member's disk is; keep it at 2 or more except in a one-member group");
        }
        return List.copyOf(warnings);
    }
}
