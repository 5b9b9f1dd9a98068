package io.understudy.sidecar.replication;

/** Too many writes are pending on the partition: refused before anything was written, to be retried later. */
public final class OverloadedException extends ReplicationException {
    public OverloadedException(String message) {
        super(message);
    }
}
