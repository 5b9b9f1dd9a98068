package io.understudy.sidecar.coordination;

/** Hears this member's ZooKeeper connection change state. */
public interface ConnectionListener {

    enum Change {
        /** Connected for the first time. */
        CONNECTED,
        /** The connection is gone; the session may still be alive. A leader stops acknowledging at once. */
        SUSPENDED,
        /** The connection is back, maybe with a new session: check before acting as leader again. */
        RECONNECTED,
        /** The session is (considered) expired: ephemeral nodes and latch nodes are gone. */
        LOST
    }

    void connectionChanged(Change change);
}
