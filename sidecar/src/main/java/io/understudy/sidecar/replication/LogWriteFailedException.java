package io.understudy.sidecar.replication;

/**
 * The leader's own log write (append or sync) failed while the write was in it. Some of its bytes may have reached
 * the disk, and followers may already have fetched it, so its outcome is unknown, never "not taken".
 */
public final class LogWriteFailedException extends ReplicationException {
    public LogWriteFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
