package io.understudy.sidecar.replication;

import io.understudy.sidecar.coordination.MemberInfo;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A consistent-enough snapshot of one partition replica for status pages and metrics.
 *
 * @param failure why the replica stopped for good (role {@link ReplicaRole#FAILED}), or null
 */
public record ReplicaStatus(
        int partition,
        ReplicaRole role,
        String leader,
        long epoch,
        long logEnd,
        long commitIndex,
        List<String> isr,
        long uncleanSince,
        String failure,
        long recoveredAt,
        String possibleLoss) {

    /**
     * The leader to name on a status page: this member when it leads, another member only while its own heartbeat
     * says it leads this epoch (the state znode keeps naming the last leader after it crashed). Null otherwise.
     */
    public String confirmedLeader(Map<String, MemberInfo> live) {
        if (role == ReplicaRole.LEADER) return leader;
        MemberInfo info = leader == null ? null : live.get(leader);
        MemberInfo.PartitionProgress progress =
                info == null ? null : info.partitions().get(partition);
        return progress != null && progress.leadingEpoch() == epoch && epoch > 0 ? leader : null;
    }

    /** The highest log end of this partition known here: this member's own, or one a live member's heartbeat shows. */
    public long furthestLogEnd(Map<String, MemberInfo> live) {
        long furthest = logEnd;
        for (MemberInfo info : live.values()) {
            MemberInfo.PartitionProgress progress = info.partitions().get(partition);
            if (progress != null) furthest = Math.max(furthest, progress.logEnd());
        }
        return furthest;
    }

    /**
     * The members that replicate this partition as seen here: every live member (each replicates every partition)
     * and every ISR member, alive or not. The group keeps no fixed member list, so a member that is gone for good
     * leaves this set once the ISR drops it.
     */
    public Set<String> replicaSet(Map<String, MemberInfo> live) {
        Set<String> members = new LinkedHashSet<>(live.keySet());
        members.addAll(isr);
        return members;
    }
}
