package io.understudy.sidecar.replication;

/** What a member is for one partition. */
public enum ReplicaRole {
    /** Takes appends from the leader of the highest epoch it knows. */
    FOLLOWER,
    /** Won the latch and is claiming the next epoch; takes no appends from anyone meanwhile. */
    CANDIDATE,
    /** Claimed the current epoch: takes writes and replicates them. */
    LEADER,
    /** Found its log disagreeing with a committed entry: stopped, waiting for an operator. */
    FAILED
}
