package io.understudy.sidecar.api.local;

import io.understudy.sidecar.coordination.Membership;
import io.understudy.sidecar.delivery.DeliveryLoop;
import io.understudy.sidecar.replication.ReplicaRole;
import io.understudy.sidecar.replication.ReplicaSet;
import io.understudy.sidecar.replication.ReplicaStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

/**
 * What the probes check, each answering the reasons it fails (empty: it passes). Patroni's probes are the model:
 * liveness says whether restarting the member could help, readiness whether it should get traffic, and the
 * leader and replica probes whether it holds that role for a partition.
 */
public final class HealthChecks {
    private final String member;
    private final ReplicaSet replicas;
    private final List<DeliveryLoop> deliveries;
    private final Membership membership;
    private final BooleanSupplier zooKeeperConnected;

    public HealthChecks(
            String member,
            ReplicaSet replicas,
            List<DeliveryLoop> deliveries,
            Membership membership,
            BooleanSupplier zooKeeperConnected) {
        this.member = member;
        this.replicas = replicas;
        this.deliveries = deliveries;
        this.membership = membership;
        this.zooKeeperConnected = zooKeeperConnected;
    }

    public String member() {
        return member;
    }

    /** Liveness: a FAILED partition (its log failed, or it conflicts with a committed entry) needs an operator. */
    public List<String> liveness() {
        List<String> reasons = new ArrayList<>();
        for (ReplicaStatus s : replicas.status()) {
            if (s.role() == ReplicaRole.FAILED) {
                reasons.add("partition " + s.partition() + " FAILED: " + s.failure());
            }
        }
        return reasons;
    }

    /**
     * Readiness: loaded, connected to ZooKeeper, every partition led by a live member, the app taking deliveries
     * and, with {@code maxLag}, applied within that many entries of the commit index.
     */
    public List<String> readiness(OptionalLong maxLag) {
        List<String> reasons = new ArrayList<>(liveness());
        if (!replicas.loaded()) reasons.add("starting: membership and partition state are not loaded yet");
        if (!zooKeeperConnected.getAsBoolean()) reasons.add("not connected to ZooKeeper");
        if (membership.selfRemoved()) {
            reasons.add("this member was removed from the group (remove-member): it gets no entries and takes no"
                    + " writes until add-member");
        }
        for (ReplicaStatus s : replicas.status()) {
            leaderReachable(s, reasons);
            DeliveryLoop delivery = deliveries.get(s.partition());
            if (!delivery.appHealthy()) {
                reasons.add("the app is not taking deliveries of partition " + s.partition());
            }
            withinLag(s, maxLag, reasons);
        }
        return reasons;
    }

    /** The leader probe: 200 only on the partition's leader, while it can acknowledge. */
    public List<String> leaderOf(int partition) {
        ReplicaStatus s = replicas.replica(partition).status();
        List<String> reasons = new ArrayList<>();
        if (s.role() != ReplicaRole.LEADER) reasons.add(roleReason(s));
        else if (!zooKeeperConnected.getAsBoolean()) reasons.add("not connected to ZooKeeper: acknowledging nothing");
        return reasons;
    }

    /** The replica probe: 200 on a follower in the ISR with a live leader, within {@code maxLag} if given. */
    public List<String> replicaOf(int partition, OptionalLong maxLag) {
        ReplicaStatus s = replicas.replica(partition).status();
        List<String> reasons = new ArrayList<>();
        if (s.role() != ReplicaRole.FOLLOWER) reasons.add(roleReason(s));
        if (!s.isr().contains(member)) reasons.add("this member is not in the ISR of partition " + partition);
        leaderReachable(s, reasons);
        withinLag(s, maxLag, reasons);
        return reasons;
    }

    private void leaderReachable(ReplicaStatus s, List<String> reasons) {
        if (s.leader() == null) {
            reasons.add("partition " + s.partition() + " has no leader");
        } else if (!s.leader().equals(member) && !membership.live().containsKey(s.leader())) {
            reasons.add("the leader of partition " + s.partition() + ", " + s.leader() + ", is not alive");
        }
    }

    private void withinLag(ReplicaStatus s, OptionalLong maxLag, List<String> reasons) {
        if (maxLag.isEmpty()) return;
        long applied = deliveries.get(s.partition()).appliedIndex();
        long lag = s.commitIndex() - applied;
        if (lag > maxLag.getAsLong()) {
            reasons.add("partition " + s.partition() + " applied " + applied + ", " + lag
                    + " entries behind the commit index " + s.commitIndex() + " (maxLag " + maxLag.getAsLong() + ")");
        }
    }

    private String roleReason(ReplicaStatus s) {
        return "this member is " + s.role().name().toLowerCase(Locale.ROOT) + " of partition " + s.partition()
                + (s.leader() == null ? ", which has no leader" : " (leader: " + s.leader() + ")");
    }
}
