package io.understudy.sidecar.replication;

/** The member has not loaded membership and partition state yet: it cannot tell who leads, so it takes nothing. */
public final class StartingException extends ReplicationException {
    public StartingException(String message) {
        super(message);
    }
}
