package io.understudy.sidecar.replication;

/** A write or request this member cannot serve; subclasses say why, the API maps each to a status. */
public class ReplicationException extends RuntimeException {
    public ReplicationException(String message) {
        super(message);
    }

    public ReplicationException(String message, Throwable cause) {
        super(message, cause);
    }
}
