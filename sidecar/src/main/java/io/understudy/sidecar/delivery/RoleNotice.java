package io.understudy.sidecar.delivery;

import io.understudy.sidecar.replication.ReplicaRole;

/**
 * What the app is told of its member's part in a partition ({@code POST /understudy/role}): its role, the epoch
 * and the leader's member id (null when none is known). A state, not an event: the newest one is what counts.
 *
 * @param role {@code leader}, {@code follower} or {@code failed}
 */
public record RoleNotice(String role, long epoch, String leader) {

    /**
     * The notice for what a replica sees: a candidate is still a follower to the app, and a member that does not
     * lead never names itself as leader (after stepping down it knows no leader until the next one is seen).
     */
    public static RoleNotice of(ReplicaRole role, long epoch, String leader, String me) {
        return switch (role) {
            case LEADER -> new RoleNotice("leader", epoch, me);
            case FAILED -> new RoleNotice("failed", epoch, me.equals(leader) ? null : leader);
            case FOLLOWER, CANDIDATE -> new RoleNotice("follower", epoch, me.equals(leader) ? null : leader);
        };
    }
}
