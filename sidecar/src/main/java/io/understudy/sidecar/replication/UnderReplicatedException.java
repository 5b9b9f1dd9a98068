package io.understudy.sidecar.replication;

/**
 * A {@code sync} write reached the commit index only after the ISR had shrunk below {@code minInSync}: it is held
 * by fewer replicas than a sync acknowledgement promises, so it is not acknowledged. It stays in the log (it is
 * committed), so the client must treat the outcome as unknown, like Kafka's NOT_ENOUGH_REPLICAS_AFTER_APPEND.
 */
public final class UnderReplicatedException extends ReplicationException {
    public UnderReplicatedException(int partition, long index, int inSync, int minInSync) {
        super("partition " + partition + ": index " + index + " was appended, but the ISR shrank to " + inSync
                + " member(s), below replication.minInSync " + minInSync + ", before it was replicated; the write's"
                + " outcome is unknown");
    }
}
