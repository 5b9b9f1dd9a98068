package io.understudy.sidecar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code list} shows, derived from one member's {@code /v1/status}: every member and, per partition, its
 * leader, epoch, ISR and state, and each member's role and lag there.
 *
 * @param group the group
 * @param seenFrom the member whose status this is
 * @param version that member's version
 * @param commit that member's commit
 * @param members every member the status names
 * @param partitions every partition
 */
record GroupView(
        String group,
        String seenFrom,
        String version,
        String commit,
        List<Member> members,
        List<Partition> partitions) {

    /** A member: {@code version} and {@code appHealthy} are null while it is down. */
    record Member(String id, boolean alive, String version, Boolean appHealthy, Long lag) {}

    /**
     * A partition: {@code state} is {@code OK}, {@code NO_LEADER}, {@code UNDER_REPLICATED} (a live member is out
     * of the ISR), {@code FAILED} (on the member asked) or {@code UNCLEAN} (an unclean election may have lost data).
     */
    record Partition(
            int partition,
            String leader,
            long epoch,
            List<String> isr,
            long commitIndex,
            String state,
            String failure,
            List<Replica> replicas) {}

    /**
     * One member's copy of a partition. {@code role}: {@code leader}, {@code replica} (in the ISR), {@code
     * catching-up} (alive, out of the ISR) or {@code down}. {@code lag}: entries behind the furthest log end known;
     * {@code applyLag}: entries its app has yet to apply up to the commit index.
     */
    record Replica(String member, String role, Long logEnd, Long lag, Long appliedIndex, Long applyLag) {}

    static GroupView of(JsonNode status) {
        List<Member> members = new ArrayList<>();
        Map<String, Map<Integer, JsonNode>> progress = new LinkedHashMap<>();
        for (JsonNode m : status.path("members")) {
            String id = m.path("id").asText();
            boolean alive = m.path("alive").asBoolean();
            members.add(new Member(
                    id,
                    alive,
                    alive ? m.path("version").asText(null) : null,
                    alive && m.has("appHealthy") ? m.path("appHealthy").asBoolean() : null,
                    m.path("lag").isNumber() ? m.path("lag").asLong() : null));
            Map<Integer, JsonNode> byPartition = new LinkedHashMap<>();
            for (JsonNode p : m.path("partitions"))
                byPartition.put(p.path("partition").asInt(), p);
            progress.put(id, byPartition);
        }
        List<Partition> partitions = new ArrayList<>();
        for (JsonNode p : status.path("partitions")) partitions.add(partition(p, members, progress));
        return new GroupView(
                status.path("group").asText(),
                status.path("member").asText(),
                status.path("version").asText("unknown"),
                status.path("commit").asText("unknown"),
                members,
                partitions);
    }

    private static Partition partition(JsonNode p, List<Member> members, Map<String, Map<Integer, JsonNode>> progress) {
        int partition = p.path("partition").asInt();
        String leader = p.path("leader").isTextual() ? p.path("leader").asText() : null;
        List<String> isr = new ArrayList<>();
        p.path("isr").forEach(m -> isr.add(m.asText()));
        long commit = p.path("commitIndex").asLong();
        long furthest = p.path("logEnd").asLong();
        for (Map<Integer, JsonNode> byPartition : progress.values()) {
            JsonNode theirs = byPartition.get(partition);
            if (theirs != null)
                furthest = Math.max(furthest, theirs.path("logEnd").asLong());
        }
        List<Replica> replicas = new ArrayList<>();
        boolean liveOutOfIsr = false;
        for (Member m : members) {
            JsonNode theirs = progress.get(m.id()).get(partition);
            String role = !m.alive()
                    ? "down"
                    : m.id().equals(leader) ? "leader" : isr.contains(m.id()) ? "replica" : "catching-up";
            liveOutOfIsr |= role.equals("catching-up");
            if (theirs == null) {
                replicas.add(new Replica(m.id(), role, null, null, null, null));
            } else {
                long logEnd = theirs.path("logEnd").asLong();
                long applied = theirs.path("appliedIndex").asLong();
                replicas.add(
                        new Replica(m.id(), role, logEnd, furthest - logEnd, applied, Math.max(0, commit - applied)));
            }
        }
        String failure =
                p.path("failure").isMissingNode() ? null : p.path("failure").asText();
        String state = failure != null
                ? "FAILED"
                : leader == null
                        ? "NO_LEADER"
                        : p.has("uncleanElectionAt") ? "UNCLEAN" : liveOutOfIsr ? "UNDER_REPLICATED" : "OK";
        return new Partition(partition, leader, p.path("epoch").asLong(), isr, commit, state, failure, replicas);
    }
}
