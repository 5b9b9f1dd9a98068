package io.understudy.sidecar.replication;

import io.understudy.sidecar.coordination.MemberInfo;
import java.util.List;
import java.util.Map;

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
}
