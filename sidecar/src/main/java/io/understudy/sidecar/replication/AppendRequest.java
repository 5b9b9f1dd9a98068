package io.understudy.sidecar.replication;

import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.RecordBatch;
import java.util.List;

/**
 * What a leader sends a follower: the records after {@code (prevIndex, prevEpoch)} and its commit index. No
 * records is a heartbeat that still carries the commit index. The leader fills {@code records} with the bytes its
 * log stores, so nothing is re-encoded per follower; a follower gets them decoded and checked (docs/design.md
 * section 6).
 */
public record AppendRequest(
        int partition,
        long epoch,
        String leader,
        long prevIndex,
        long prevEpoch,
        long commitIndex,
        RecordBatch records) {

    public AppendRequest(
            int partition,
            long epoch,
            String leader,
            long prevIndex,
            long prevEpoch,
            long commitIndex,
            List<Entry> entries) {
        this(partition, epoch, leader, prevIndex, prevEpoch, commitIndex, RecordBatch.of(entries));
    }

    /** The records decoded (on the leader's side, decoded on first use). */
    public List<Entry> entries() {
        return records.entries();
    }

    /** How many records the request carries. */
    public int size() {
        return records.count();
    }
}
