package io.understudy.sidecar.replication;

/** A {@code sync} write was refused because the ISR is smaller than {@code minInSync}. */
public final class NotEnoughReplicasException extends ReplicationException {
    public NotEnoughReplicasException(int partition, int inSync, int minInSync) {
        super("partition " + partition + " has " + inSync + " in-sync replica(s) but replication.minInSync is "
                + minInSync + ": sync writes are refused until a replica catches up (async writes are still taken)");
    }
}
