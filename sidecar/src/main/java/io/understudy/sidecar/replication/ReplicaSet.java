package io.understudy.sidecar.replication;

import io.understudy.sidecar.coordination.MemberInfo;
import io.understudy.sidecar.coordination.Membership;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;

/**
 * This member's replicas of every partition, and the routing rules in front of them: which partition a key
 * belongs to, and that a write reaching a follower is forwarded to the partition's leader (once: a forwarded
 * write is never forwarded again, so two members with stale views cannot bounce it between them).
 */
public final class ReplicaSet {
    private final List<PartitionReplica> replicas;
    private final Membership membership;
    private final PeerClient peers;
    private final LeaderWait leaderWait;

    /** @param leaderWait retries writes that entered here while the partition's leadership moves */
    public ReplicaSet(List<PartitionReplica> replicas, Membership membership, PeerClient peers, LeaderWait leaderWait) {
        this.replicas = List.copyOf(replicas);
        this.membership = membership;
        this.peers = peers;
        this.leaderWait = leaderWait;
    }

    public int partitions() {
        return replicas.size();
    }

    /**
     * The partition of a key: CRC32C of its UTF-8 bytes modulo the partition count, so that any client in any
     * language can compute it.
     */
    public int partitionOf(String key) {
        CRC32C crc = new CRC32C();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % replicas.size());
    }

    public PartitionReplica replica(int partition) {
        if (partition < 0 || partition >= replicas.size())
            throw new UnknownPartitionException(partition, replicas.size());
        return replicas.get(partition);
    }

    /** True once membership and every partition's state are loaded: before that, writes get {@link StartingException}. */
    public boolean loaded() {
        return !membership.live().isEmpty() && replicas.stream().allMatch(r -> r.isStarted() && r.stateLoaded());
    }

    /**
     * Writes locally when this member leads the partition; otherwise forwards to the leader unless already forwarded.
     * A write that entered here (not forwarded) and is refused because no member leads right now (a hand-over, an
     * election) is routed again until a leader takes it ({@link LeaderWait}); a forwarded write is answered at once,
     * so that only the member the client talks to waits.
     */
    public CompletableFuture<Ack> write(WriteRequest request, boolean forwarded) {
        if (forwarded) return route(request, true);
        if (membership.selfRemoved()) return CompletableFuture.failedFuture(new MemberRemovedException());
        return leaderWait.write(() -> route(request, false));
    }

    private CompletableFuture<Ack> route(WriteRequest request, boolean forwarded) {
        if (!loaded()) {
            return CompletableFuture.failedFuture(new StartingException(
                    "this member is starting: membership and partition state are not loaded yet"));
        }
        PartitionReplica replica;
        try {
            replica = replica(request.partition());
        } catch (UnknownPartitionException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (replica.isLeader() || replica.isFailed() || forwarded) return replica.write(request);
        String leader = replica.leader();
        MemberInfo info = leader == null ? null : membership.live().get(leader);
        if (info == null) {
            return CompletableFuture.failedFuture(new NotLeaderException(
                    request.partition(),
                    leader,
                    leader == null ? "no leader elected yet" : "leader " + leader + " is not alive"));
        }
        return replica.whileLeaderUnchanged(peers.forward(info.peerUrl(), request));
    }

    /**
     * Writes several requests, each answered on its own in the list's order. The requests of one partition travel
     * together: to the local leader's log in one group commit, or to a remote leader in one forwarded request.
     */
    public List<CompletableFuture<Ack>> writeBatch(List<WriteRequest> requests, boolean forwarded) {
        List<CompletableFuture<Ack>> answers = new ArrayList<>(requests.size());
        if (!loaded()) {
            StartingException starting =
                    new StartingException("this member is starting: membership and partition state are not loaded yet");
            requests.forEach(r -> answers.add(CompletableFuture.failedFuture(starting)));
            return answers;
        }
        if (!forwarded && membership.selfRemoved()) {
            MemberRemovedException removed = new MemberRemovedException();
            requests.forEach(r -> answers.add(CompletableFuture.failedFuture(removed)));
            return answers;
        }
        Map<Integer, List<Integer>> byPartition = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            answers.add(null);
            byPartition
                    .computeIfAbsent(requests.get(i).partition(), p -> new ArrayList<>())
                    .add(i);
        }
        byPartition.forEach((partition, positions) -> {
            List<WriteRequest> group = positions.stream().map(requests::get).toList();
            List<CompletableFuture<Ack>> groupAnswers = writeGroup(partition, group, forwarded);
            for (int k = 0; k < positions.size(); k++) answers.set(positions.get(k), groupAnswers.get(k));
        });
        return answers;
    }

    /** The writes of one partition: locally when this member leads it, else in one request to its leader. */
    private List<CompletableFuture<Ack>> writeGroup(int partition, List<WriteRequest> group, boolean forwarded) {
        PartitionReplica replica;
        try {
            replica = replica(partition);
        } catch (UnknownPartitionException e) {
            return group.stream()
                    .map(r -> CompletableFuture.<Ack>failedFuture(e))
                    .toList();
        }
        if (replica.isLeader() || replica.isFailed() || forwarded) return replica.writeAll(group);
        String leader = replica.leader();
        MemberInfo info = leader == null ? null : membership.live().get(leader);
        if (info == null) {
            NotLeaderException none = new NotLeaderException(
                    partition, leader, leader == null ? "no leader elected yet" : "leader " + leader + " is not alive");
            return group.stream()
                    .map(r -> CompletableFuture.<Ack>failedFuture(none))
                    .toList();
        }
        return peers.forwardBatch(info.peerUrl(), group).stream()
                .map(replica::whileLeaderUnchanged)
                .toList();
    }

    /**
     * Hands the leadership of {@code partition} to {@code target}: on the leader itself, or, when this member does
     * not lead it and {@code relay} is set, relayed once to the leader it knows (a relayed request is never relayed
     * again), even one an operator removed, which leads until it is switched over.
     */
    public CompletableFuture<SwitchoverResult> switchover(
            int partition, String target, Duration timeout, boolean relay) {
        PartitionReplica replica = replica(partition);
        if (replica.isLeader() || !relay) return replica.switchover(target, timeout);
        String leader = replica.leader();
        MemberInfo info = leader == null ? null : membership.everyLive().get(leader);
        if (info == null) {
            return CompletableFuture.failedFuture(new NotLeaderException(
                    partition,
                    leader,
                    leader == null ? "no leader elected yet" : "leader " + leader + " is not alive"));
        }
        return peers.switchover(info.peerUrl(), partition, target, timeout);
    }

    public CompletableFuture<AppendResponse> append(AppendRequest request) {
        try {
            return replica(request.partition()).append(request);
        } catch (UnknownPartitionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    public List<ReplicaStatus> status() {
        return replicas.stream().map(PartitionReplica::status).toList();
    }
}
