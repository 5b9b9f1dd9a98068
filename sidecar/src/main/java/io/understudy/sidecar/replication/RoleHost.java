package io.understudy.sidecar.replication;

import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.coordination.Versioned;

/** What the replica's role rooms ({@link Candidacy}, {@link FollowerAppends}) ask of it, on the partition loop. */
interface RoleHost {
    void onLoop(Runnable task);

    /**
     * False until the member's view of the group and the partition's state are loaded (and the state accepted as
     * this member's group's): it serves no append before.
     */
    boolean isStarted();

    long commitIndex();

    void advanceCommitTo(long index);

    /** Persists a higher epoch; a leadership of an older one steps down. */
    void raiseKnownEpoch(long epoch, String source);

    void stateSeen(Versioned<PartitionState> seen);

    /** The claim of {@code claimed} won: lead its epoch. */
    void lead(Versioned<PartitionState> claimed);

    /** Stops the replica for good (role FAILED). */
    void stop(String why, String advice);

    /** The log failed for good: stops the replica. */
    void logFailed(String why);

    /**
     * The leader's append does not match at or below its log base: this member needs the leader's snapshot
     * ({@link SnapshotCatchUp}). This default ignores it.
     */
    default void snapshotNeeded(String leader, long leaderBase) {}
}
