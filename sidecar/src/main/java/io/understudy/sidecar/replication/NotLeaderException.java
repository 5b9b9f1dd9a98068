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

    private NotLeaderException(String message, String leader) {
        super(message);
        this.leader = leader;
    }

    /**
     * The refusal of another member, relayed as it gave it ({@code NOT_LEADER} or {@code NO_LEADER}, nothing
     * written): {@code leader} is who answered for {@code NOT_LEADER}, null for {@code NO_LEADER}.
     */
    public static NotLeaderException relayed(String message, String leader) {
        return new NotLeaderException(message, leader);
    }

    /** The leader this member last knew of, or null. */
    public String leader() {
        return leader;
    }
}
