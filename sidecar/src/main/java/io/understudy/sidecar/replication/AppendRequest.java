package io.understudy.sidecar.replication;

import io.understudy.sidecar.log.Entry;
import java.util.List;

/**
 * What a leader sends a follower: entries after {@code (prevIndex, prevEpoch)} and its commit index. An
 * empty {@code entries} list is a heartbeat that still carries the commit index.
 */
public record AppendRequest(
        int partition,
        long epoch,
        String leader,
        long prevIndex,
        long prevEpoch,
        long commitIndex,
        List<Entry> entries) {
    public AppendRequest {
        entries = List.copyOf(entries);
    }
}
