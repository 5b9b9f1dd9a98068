package io.understudy.sidecar.replication;

/**
 * This member's replica of the partition stopped for good (its disk failed, or its log contradicts a committed
 * entry) and takes no writes. Nothing was written: the client may retry through another member.
 */
public final class PartitionFailedException extends ReplicationException {
    public PartitionFailedException(int partition, String why) {
        super("partition " + partition + " is stopped on this member (" + why
                + "); nothing was written: send the write through another member");
    }
}
