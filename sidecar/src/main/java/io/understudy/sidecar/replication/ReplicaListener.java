package io.understudy.sidecar.replication;

import io.understudy.sidecar.coordination.PartitionState;

/** Hears what a partition replica does, e.g. to deliver committed entries or to tell the host app. */
public interface ReplicaListener {

    void roleChanged(int partition, ReplicaRole role, long epoch, String leader);

    void commitAdvanced(int partition, long commitIndex);

    /** This member won an election: its claim of {@code claimed}'s epoch was written. On the partition loop. */
    default void elected(int partition, PartitionState claimed) {}

    /**
     * This member changed the partition's ISR in ZooKeeper ({@code written} is the state it wrote): as leader
     * (shrink, grow), or as a follower taking it over (a new partition, an unclean election, reboot recovery).
     * On the partition loop.
     */
    default void isrChanged(int partition, PartitionState written, String why) {}
}
