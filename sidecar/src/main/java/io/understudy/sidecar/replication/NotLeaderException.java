package io.understudy.sidecar.replication;

/** This member does not lead the partition (and could not, or must not, forward the write). */
public final class NotLeaderException extends ReplicationException {
    private final String leader;

    public NotLeaderException(int partition, String leader, String why) {
        super("partition " + partition + " has no reachable leader here: " + why
                + (leader == null ? "" : " (last known leader: " + leader + ")")
                + "; retry shortly, an election takes a few seconds");
        this.leader = leader;
    }

    /** The leader this member last knew of, or null. */
    public String leader() {
        return leader;
    }
}
