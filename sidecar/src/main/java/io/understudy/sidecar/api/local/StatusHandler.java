package io.understudy.sidecar.api.local;

import io.understudy.sidecar.api.Responses;
import io.understudy.sidecar.coordination.GroupPause;
import io.understudy.sidecar.coordination.MemberInfo;
import io.understudy.sidecar.coordination.Membership;
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
import java.util.TreeSet;

/**
 * {@code GET /v1/status}: this member's view of every partition and of every member. A member's {@code lag} is
 * how many entries, summed over partitions, its last heartbeat trails the most advanced log end known here.
 */
public final class StatusHandler implements HttpHandler {
    private final String group;
    private final String member;
    private final ReplicaSet replicas;
    private final Membership membership;
    private final List<DeliveryLoop> deliveries;
    private final Responses responses;
    private final GroupPause pause;

    public StatusHandler(
            String group,
            String member,
            ReplicaSet replicas,
            Membership membership,
            List<DeliveryLoop> deliveries,
            Responses responses,
            GroupPause pause) {
        this.pause = pause;
        this.group = group;
        this.member = member;
        this.replicas = replicas;
        this.membership = membership;
        this.deliveries = deliveries;
        this.responses = responses;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        responses.send(exchange, 200, report());
    }

    public Map<String, Object> report() {
        List<ReplicaStatus> statuses = replicas.status();
        Map<String, MemberInfo> live = membership.live();
        List<Map<String, Object>> partitions = new ArrayList<>();
        TreeSet<String> known = new TreeSet<>(live.keySet());
        for (ReplicaStatus s : statuses) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("partition", s.partition());
            p.put("role", s.role().name().toLowerCase(Locale.ROOT));
            p.put("leader", s.confirmedLeader(live));
            p.put("epoch", s.epoch());
            p.put("logEnd", s.logEnd());
            p.put("commitIndex", s.commitIndex());
            p.put("appliedIndex", deliveries.get(s.partition()).appliedIndex());
            p.put("isr", s.isr());
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
            m.put("lag", info == null ? null : lag(info, statuses, live));
            if (info != null) {
                m.put("peerUrl", info.peerUrl());
                m.put("appHealthy", info.appHealthy());
                m.put("heartbeatAt", info.heartbeatTime());
            }
            members.add(m);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("member", member);
        report.put("group", group);
        report.put("paused", pause.paused());
        report.put("partitions", partitions);
        report.put("members", members);
        return report;
    }

    private long lag(MemberInfo info, List<ReplicaStatus> statuses, Map<String, MemberInfo> live) {
        long lag = 0;
        for (ReplicaStatus s : statuses) {
            long furthest = s.logEnd();
            for (MemberInfo other : live.values()) furthest = Math.max(furthest, logEnd(other, s.partition()));
            long theirs = info.id().equals(member) ? s.logEnd() : logEnd(info, s.partition());
            lag += Math.max(0, furthest - theirs);
        }
        return lag;
    }

    private static long logEnd(MemberInfo info, int partition) {
        MemberInfo.PartitionProgress progress = info.partitions().get(partition);
        return progress == null ? 0 : progress.logEnd();
    }
}
