package io.understudy.sidecar.replication;

/** A request named a partition the group does not have. */
public final class UnknownPartitionException extends ReplicationException {
    public UnknownPartitionException(int partition, int partitions) {
        super("unknown partition " + partition + ": this group has partitions 0.." + (partitions - 1));
    }
}
