package io.understudy.sidecar.replication;

import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.RecordBatch;
import java.util.List;

/**
 * What a leader sends a follower: the records after {@code (prevIndex, prevEpoch)} and its commit index. No
 * records is a heartbeat that still carries the commit index. The leader fills {@code records} with the bytes its
 * log stores, so nothing is re-encoded per follower; a follower gets them decoded and checked (docs/design.md
 * section 6). {@code baseIndex} is the index of the leader's log base (0 when its log starts at index 1): a request
 * whose {@code prevIndex} is at or below it is the leader's last resort, it cannot send anything earlier, so a
 * follower that does not match it must install the leader's snapshot (docs/design.md, "Snapshots and a bounded log").
 */
public record AppendRequest(
        int partition,
        long epoch,
        String leader,
        long prevIndex,
        long prevEpoch,
        long commitIndex,
        RecordBatch records,
        long baseIndex) {

    public AppendRequest(
            int partition,
            long epoch,
            String leader,
            long prevIndex,
            long prevEpoch,
            long commitIndex,
            RecordBatch records) {
        this(partition, epoch, leader, prevIndex, prevEpoch, commitIndex, records, 0);
    }

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
