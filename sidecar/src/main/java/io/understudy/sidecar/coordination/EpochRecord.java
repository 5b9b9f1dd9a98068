package io.understudy.sidecar.coordination;

import java.util.List;

/**
 * One entry of a partition's epoch history: an epoch claim that succeeded (docs/design.md rule 2), kept in
 * ZooKeeper beside the state so that {@code history} can say who led when.
 *
 * @param epoch the epoch claimed
 * @param leader the member that claimed it
 * @param isr the ISR's member ids when it claimed
 * @param at when the claim was committed (ms since the epoch; ZooKeeper's creation time of the entry, 0 until read)
 */
public record EpochRecord(long epoch, String leader, List<String> isr, long at) {
    public EpochRecord {
        isr = List.copyOf(isr);
    }

    /** The record a claim of {@code claimed} writes (its time comes from ZooKeeper). */
    static EpochRecord of(PartitionState claimed) {
        return new EpochRecord(claimed.epoch(), claimed.leader(), claimed.isrMemberIds(), 0);
    }

    EpochRecord at(long time) {
        return new EpochRecord(epoch, leader, isr, time);
    }
}
