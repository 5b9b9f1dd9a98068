package io.understudy.sidecar.coordination;

/**
 * The leader latch of one partition. Winning it only makes this member a candidate: it must still claim the
 * epoch ({@link PartitionStateStore#claim}) before it acts as leader, because two members can briefly both
 * hold a latch.
 */
public interface LeaderElection extends AutoCloseable {

    /** Receives latch edges, on a coordination thread. */
    interface Listener {
        void elected();

        void notElected();
    }

    /** Enters the latch (no-op when already in it). */
    void join();

    /** Leaves the latch, giving leadership up if held (no-op when not in it). */
    void leave();

    boolean joined();

    /** The path of this member's latch node, or null when not in the latch or not yet created. */
    String latchNodePath();

    /** Whether the latch currently names this member. */
    boolean holdsLatch();

    @Override
    void close();
}
