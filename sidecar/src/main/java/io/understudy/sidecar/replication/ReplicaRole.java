package io.understudy.sidecar.replication;

/** What a member is for one partition. */
public enum ReplicaRole {
    /** Takes appends from the leader of the highest epoch it knows. */
    FOLLOWER,
    /** Won the latch and is claiming the next epoch; takes no appends from anyone meanwhile. */
    CANDIDATE,
    /** Claimed the current epoch: takes writes and replicates them. */
    LEADER,
    /**
     * Stopped for good, waiting for an operator: its disk failed (a failed fsync or epoch-file write) or its log
     * disagrees with a committed entry. Out of the election, takes no appends and no writes.
     */
    FAILED
}
