package io.understudy.sidecar.coordination;

import java.util.Locale;

/** The last state of this member's ZooKeeper connection, for people: status pages and the status report. */
public final class ZooKeeperConnection implements ConnectionListener {
    /** What a person reads. */
    public enum State {
        /** Not connected yet (starting). */
        CONNECTING,
        /** Connected with a live session. */
        CONNECTED,
        /** The connection is gone, the session may still be alive: leaders acknowledge nothing meanwhile. */
        SUSPENDED,
        /** The session expired: this member's ephemeral and latch nodes are gone until it reconnects. */
        LOST;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private volatile State state = State.CONNECTING;

    @Override
    public void connectionChanged(Change change) {
        state = switch (change) {
            case CONNECTED, RECONNECTED -> State.CONNECTED;
            case SUSPENDED -> State.SUSPENDED;
            case LOST -> State.LOST;
        };
    }

    public State state() {
        return state;
    }
}
