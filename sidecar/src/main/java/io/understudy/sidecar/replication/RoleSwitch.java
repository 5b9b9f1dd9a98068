package io.understudy.sidecar.replication;

/**
 * Which role the replica plays (docs/design.md section 2), the leader it follows and why it stopped, if it did.
 * Changed on the partition loop only; other threads read the published values.
 */
final class RoleSwitch {
    private volatile ReplicaRole role = ReplicaRole.FOLLOWER;
    /** The leader named by the partition's state or by its appends, or null. */
    private volatile String leader;
    /** Why this replica stopped for good (role FAILED), or null. */
    private volatile String failure;

    ReplicaRole role() {
        return role;
    }

    boolean is(ReplicaRole which) {
        return role == which;
    }

    void switchTo(ReplicaRole next) {
        role = next;
    }

    /** A candidacy that no longer stands (a newer leader, a lost latch) goes back to following. */
    void withdrawCandidacy() {
        if (role == ReplicaRole.CANDIDATE) role = ReplicaRole.FOLLOWER;
    }

    String leader() {
        return leader;
    }

    void follow(String leader) {
        this.leader = leader;
    }

    String failure() {
        return failure;
    }

    /** Switches to FAILED for {@code why}; false if already stopped. */
    boolean fail(String why) {
        if (role == ReplicaRole.FAILED) return false;
        failure = why;
        role = ReplicaRole.FAILED;
        return true;
    }
}
