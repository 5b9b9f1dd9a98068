package io.understudy.sidecar.replication;

/** Why a switchover was refused or did not complete (docs/design.md, "Switchover"). */
public enum SwitchoverRefusal {
    /** The target already leads the partition. */
    TARGET_IS_LEADER,
    /** No member of that name is alive or in the ISR, and none was seen since this member started. */
    UNKNOWN_MEMBER,
    /** The target is a member of the group, but its ZooKeeper session is gone. */
    TARGET_NOT_ALIVE,
    /** The target is alive but not in the partition's ISR: it could lack committed entries. */
    TARGET_NOT_IN_SYNC,
    /** Another switchover of the partition is under way. */
    IN_PROGRESS,
    /** The target did not catch up, or did not take over, within the time-out. */
    TIMED_OUT,
    /** Leadership or the partition's state changed under the switchover. */
    INTERRUPTED
}
