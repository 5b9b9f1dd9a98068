package io.understudy.sidecar.coordination;

import java.util.concurrent.CompletableFuture;

/**
 * The group-wide pause flag (docs/design.md, "Pause"): while set, no leader hands a partition over for balancing
 * and no unclean election takes place; switchovers, ordinary elections and replication go on.
 */
public interface GroupPause {

    /** Whether the group is paused, as last seen (a watch keeps it current). */
    boolean paused();

    /** Sets or clears the flag for the whole group; completes with the flag now set. */
    CompletableFuture<Boolean> set(boolean paused);
}
