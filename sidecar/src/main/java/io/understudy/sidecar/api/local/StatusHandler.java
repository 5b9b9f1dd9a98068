package io.understudy.sidecar.api.local;

import io.understudy.sidecar.BuildInfo;
import io.understudy.sidecar.api.Responses;
import io.understudy.sidecar.coordination.GroupPause;
import io.understudy.sidecar.coordination.MemberInfo;
import io.understudy.sidecar.coordination.MemberRoster;
import io.understudy.sidecar.coordination.ZooKeeperConnection;
import io.understudy.sidecar.delivery.DeliveryLoop;
import io.understudy.sidecar.replication.ReplicaSet;
import io.understudy.sidecar.replication.ReplicaStatus;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code GET /v1/status}: this member's view of every partition and of every member, and which build it runs
 * ({@code version}, {@code commit}; each live member's {@code version} from its member znode). A member's {@code lag}
 * is how many entries, summed over partitions, its last heartbeat trails the most advanced log end known here; each
 * partition's {@code lag} gives the same per live member for that partition alone. Members seen since this member
 * started that are gone now are listed with {@code alive: false} and their last {@code heartbeatAt}.
 */
public final class StatusHandler implements HttpHandler {
    private final String group;
    private final String member;
    private final BuildInfo build;
    private final ReplicaSet replicas;
    private final MemberRoster roster;
    private final List<DeliveryLoop> deliveries;
    private final ZooKeeperConnection zooKeeper;
    private final String zooKeeperConnect;
    private final Responses responses;
    private final GroupPause pause;

    public StatusHandler(
            String group,
            String member,
            BuildInfo build,
            ReplicaSet replicas,
            MemberRoster roster,
            List<DeliveryLoop> deliveries,
            ZooKeeperConnection zooKeeper,
            String zooKeeperConnect,
            Responses responses,
            GroupPause pause) {
        this.pause = pause;
        this.group = group;
        this.member = member;
        this.build = build;
        this.replicas = replicas;
        this.roster = roster;
        this.deliveries = deliveries;
        this.zooKeeper = zooKeeper;
        this.zooKeeperConnect = zooKeeperConnect;
        this.responses = responses;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        responses.send(exchange, 200, report());
    }

    public Map<String, Object> report() {
        List<ReplicaStatus> statuses = replicas.status();
        Map<String, MemberInfo> departed = roster.departed();
        Map<String, MemberInfo> live = roster.live();
        List<Map<String, Object>> partitions = new ArrayList<>();
        Map<String, Long> totalLag = new TreeMap<>();
        TreeSet<String> known = new TreeSet<>(live.keySet());
        known.addAll(departed.keySet());
        for (ReplicaStatus s : statuses) {
            Map<String, Long> lag = lag(s, live);
            lag.forEach((id, entries) -> totalLag.merge(id, entries, Long::sum));
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("partition", s.partition());
            p.put("role", s.role().name().toLowerCase(Locale.ROOT));
            p.put("leader", s.confirmedLeader(live));
            p.put("epoch", s.epoch());
            p.put("logEnd", s.logEnd());
            p.put("commitIndex", s.commitIndex());
            p.put("appliedIndex", deliveries.get(s.partition()).appliedIndex());
            p.put("isr", s.isr());
            p.put("lag", lag);
            if (s.uncleanSince() > 0) p.put("uncleanElectionAt", s.uncleanSince());
            if (s.failure() != null) p.put("failure", s.failure());
            if (s.recoveredAt() > 0) {
                p.put("recoveredAt", s.recoveredAt());
                p.put("possibleLoss", s.possibleLoss());
            }
            partitions.add(p);
            known.addAll(s.isr());
        }
        List<Map<String, Object>> members = new ArrayList<>();
        for (String id : known) {
            MemberInfo info = live.get(id);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("alive", info != null);
            m.put("lag", totalLag.get(id));
            if (info != null) {
                m.put("version", info.version());
                m.put("peerUrl", info.peerUrl());
                m.put("appHealthy", info.appHealthy());
                m.put("heartbeatAt", info.heartbeatTime());
                m.put("partitions", progress(info, statuses));
            } else if (departed.containsKey(id)) {
                m.put("heartbeatAt", departed.get(id).heartbeatTime());
            }
            members.add(m);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("member", member);
        report.put("group", group);
        report.put("version", build.version());
        report.put("commit", build.commit());
        report.put("paused", pause.paused());
        report.put("partitions", partitions);
        report.put("members", members);
        report.put("zookeeper", Map.of("state", zooKeeper.state().wireName(), "connect", zooKeeperConnect));
        return report;
    }

    /** Each partition's log end and applied index as this member's last heartbeat (or, for itself, now) says. */
    private List<Map<String, Object>> progress(MemberInfo info, List<ReplicaStatus> statuses) {
        List<Map<String, Object>> progress = new ArrayList<>();
        for (ReplicaStatus s : statuses) {
            MemberInfo.PartitionProgress theirs = info.partitions().get(s.partition());
            boolean me = info.id().equals(member);
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("partition", s.partition());
            p.put("logEnd", me ? s.logEnd() : theirs == null ? 0 : theirs.logEnd());
            p.put(
                    "appliedIndex",
                    me ? deliveries.get(s.partition()).appliedIndex() : theirs == null ? 0 : theirs.applied());
            progress.add(p);
        }
        return progress;
    }

    /** Per live member: how many entries of this partition its last heartbeat trails the furthest log end. */
    private Map<String, Long> lag(ReplicaStatus s, Map<String, MemberInfo> live) {
        long furthest = s.furthestLogEnd(live);
        Map<String, Long> lag = new TreeMap<>();
        for (MemberInfo info : live.values()) {
            long theirs = info.id().equals(member) ? s.logEnd() : logEnd(info, s.partition());
            lag.put(info.id(), Math.max(0, furthest - theirs));
        }
        return lag;
    }

    private static long logEnd(MemberInfo info, int partition) {
        MemberInfo.PartitionProgress progress = info.partitions().get(partition);
        return progress == null ? 0 : progress.logEnd();
    }
}
