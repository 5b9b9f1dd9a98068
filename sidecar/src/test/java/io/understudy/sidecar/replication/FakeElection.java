package io.understudy.sidecar.replication;

import io.understudy.sidecar.coordination.LeaderElection;

/** A leader latch the test decides: {@link #win()} hands it to this member and tells the listener. */
final class FakeElection implements LeaderElection {
    private final LeaderElection.Listener listener;
    private volatile boolean joined;
    private volatile boolean holds;

    FakeElection(LeaderElection.Listener listener) {
        this.listener = listener;
    }

    void win() {
        holds = true;
        listener.elected();
    }

    @Override
    public void join() {
        joined = true;
    }

    @Override
    public void leave() {
        joined = false;
        holds = false;
    }

    @Override
    public boolean joined() {
        return joined;
    }

    @Override
    public String latchNodePath() {
        return joined ? "/latch/_c_test-latch-0000000001" : null;
    }

    @Override
    public boolean holdsLatch() {
        return holds;
    }

    @Override
    public void close() {
        leave();
    }
}
