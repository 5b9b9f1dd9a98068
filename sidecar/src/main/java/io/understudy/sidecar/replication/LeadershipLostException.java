package io.understudy.sidecar.replication;

/**
 * The leader lost its leadership while the write was in flight. The write may or may not survive: the client
 * should treat its outcome as unknown and retry idempotently or check.
 */
public final class LeadershipLostException extends ReplicationException {
    public LeadershipLostException(int partition, long epoch, String why) {
        super("partition " + partition + ": leadership of epoch " + epoch + " lost (" + why
                + "); the write's outcome is unknown");
    }
}
