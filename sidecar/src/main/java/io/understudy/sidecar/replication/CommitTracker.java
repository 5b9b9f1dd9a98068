package io.understudy.sidecar.replication;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The leader's commit arithmetic (docs/design.md rule 5), pure and single-threaded: an entry is committed once
 * every ISR member holds it durably. The leader's own durable end counts for the leader; a follower counts
 * only with a match index verified by the log-matching check in the current epoch.
 */
final class CommitTracker {
    private final String leader;
    private final Map<String, Long> matched = new HashMap<>();
    private long commitIndex;

    CommitTracker(String leader, long commitIndex) {
        this.leader = leader;
        this.commitIndex = commitIndex;
    }

    void leaderDurable(long logEnd) {
        matched.put(leader, logEnd);
    }

    /** Records that {@code member} holds the leader's log up to {@code index}; never moves backwards. */
    void matched(String member, long index) {
        matched.merge(member, index, Math::max);
    }

    long match(String member) {
        return matched.getOrDefault(member, 0L);
    }

    void forget(String member) {
        if (!member.equals(leader)) matched.remove(member);
    }

    long commitIndex() {
        return commitIndex;
    }

    /**
     * Moves the commit index to the lowest match among {@code isr} when that is higher than it was.
     *
     * @return true when it moved
     */
    boolean advance(Collection<String> isr) {
        long lowest = match(leader);
        for (String member : isr) lowest = Math.min(lowest, match(member));
        if (lowest <= commitIndex) return false;
        commitIndex = lowest;
        return true;
    }
}
