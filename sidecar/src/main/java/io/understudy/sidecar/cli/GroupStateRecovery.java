package io.understudy.sidecar.cli;

import io.understudy.sidecar.coordination.IsrMember;
import io.understudy.sidecar.coordination.PartitionState;
import java.util.List;
import java.util.Optional;

/**
 * What {@code recover-zookeeper} (and {@code restore}) writes for one partition after ZooKeeper lost the group's state: this member
 * alone in the ISR, at the highest epoch it knows (the next leader claims a higher one), under the incarnation it
 * recorded, marked as a recovery so that status pages say what may be lost. Nothing when ZooKeeper already holds
 * this member's group (docs/design.md, "When ZooKeeper forgets the group").
 */
record GroupStateRecovery(
        String member, String dataDirId, long knownEpoch, long recordedIncarnation, long logEnd, long lastEpoch) {

    /** The state to write, or empty when {@code current} (null when the znode is missing) needs no recovery. */
    Optional<PartitionState> plan(PartitionState current, long nowMillis, long freshIncarnation) {
        boolean sameGroup = current != null
                && (current.incarnation() == 0 || current.incarnation() == recordedIncarnation)
                && current.epoch() >= knownEpoch;
        if (sameGroup) return Optional.empty();
        long incarnation = recordedIncarnation != 0 ? recordedIncarnation : freshIncarnation;
        String loss = "ZooKeeper lost the group's state; recover-zookeeper restarted the ISR from " + member
                + " (log end " + logEnd + ", last epoch " + lastEpoch + "): entries acknowledged beyond that may be "
                + "lost";
        return Optional.of(soleMember(nowMillis, loss, incarnation));
    }

    /**
     * What {@code restore} writes after seeding this member from a backup: this member alone in the ISR at its known
     * epoch, under {@code freshIncarnation} (a new group as far as any other data dir can tell), whatever ZooKeeper
     * held before.
     */
    PartitionState restored(long nowMillis, long freshIncarnation, String backup) {
        String loss = "restored from " + backup + " into " + member + " (log end " + logEnd + ", last epoch "
                + lastEpoch + "): entries written after that backup are not in this group";
        return soleMember(nowMillis, loss, freshIncarnation);
    }

    private PartitionState soleMember(long nowMillis, String loss, long incarnation) {
        return new PartitionState(
                knownEpoch, null, List.of(new IsrMember(member, dataDirId)), 0, nowMillis, loss, incarnation);
    }
}
