package io.understudy.sidecar.coordination;

import java.io.IOException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LeaderElection} on Curator's {@link LeaderLatch}. A latch cannot be restarted once closed, so each
 * {@link #join()} makes a new one.
 */
public final class CuratorLeaderElection implements LeaderElection {
    private static final Logger log = LoggerFactory.getLogger(CuratorLeaderElection.class);

    private final CuratorFramework client;
    private final String path;
    private final String memberId;
    private final Listener listener;
    private LeaderLatch latch;

    public CuratorLeaderElection(CuratorFramework client, String path, String memberId, Listener listener) {
        this.client = client;
        this.path = path;
        this.memberId = memberId;
        this.listener = listener;
    }

    @Override
    public synchronized void join() {
        if (latch != null) return;
        LeaderLatch fresh = new LeaderLatch(client, path, memberId, LeaderLatch.CloseMode.NOTIFY_LEADER);
        fresh.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                listener.elected();
            }

            @Override
            public void notLeader() {
                listener.notElected();
            }
        });
        try {
            fresh.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start leader latch " + path, e);
        }
        latch = fresh;
    }

    @Override
    public synchronized void leave() {
        LeaderLatch current = latch;
        latch = null;
        if (current == null) return;
        try {
            current.close();
        } catch (IOException | IllegalStateException e) {
            log.warn("leaving latch {}: {}", path, e.toString());
        }
    }

    @Override
    public synchronized boolean joined() {
        return latch != null;
    }

    @Override
    public synchronized String latchNodePath() {
        return latch == null ? null : latch.getOurPath();
    }

    @Override
    public synchronized boolean holdsLatch() {
        return latch != null && latch.hasLeadership();
    }

    @Override
    public void close() {
        leave();
    }
}
