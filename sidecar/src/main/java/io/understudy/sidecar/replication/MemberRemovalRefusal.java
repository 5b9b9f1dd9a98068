package io.understudy.sidecar.replication;

/** Why {@code remove-member} or {@code add-member} did not (fully) happen. */
public enum MemberRemovalRefusal {
    /** Nobody knows the member: not alive, not in an ISR, not seen since start, not removed. */
    UNKNOWN_MEMBER,
    /** Some partition's ISR would drop below {@code replication.minInSync}. */
    BELOW_MIN_IN_SYNC,
    /** The member is marked removed, but some partition still lists it in its ISR or as leader at the deadline. */
    TIMED_OUT
}
