package io.understudy.sidecar.replication;

import io.understudy.sidecar.coordination.MemberRoster;
import io.understudy.sidecar.coordination.Membership;
import io.understudy.sidecar.coordination.RemovedMembers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a member out of the group, and lets it back in (docs/design.md, "Add and remove members"). Runs on any
 * member: removal is a group-wide mark in ZooKeeper ({@link RemovedMembers}) that every leader acts on, plus
 * switchovers that {@link ReplicaSet} relays to the leader. Steps of a removal: refuse when a partition's ISR would
 * drop below {@code minInSync}; switch over every partition the member leads; mark it removed (leaders then stop
 * sending to it and shrink their ISR with the usual conditional write); wait until no partition lists it in its
 * ISR or as leader. Each request runs on this object's own thread, never on an HTTP IO thread.
 */
public final class MemberRemoval implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MemberRemoval.class);
    private static final long POLL_MS = 50;

    /** A removal done: the switchovers it made and every partition's leader and ISR as this member sees them now. */
    public record Removal(String member, List<SwitchoverResult> switchedOver, List<ReplicaStatus> partitions) {}

    /** An adding back: whether the member was removed before. */
    public record Readmission(String member, boolean wasRemoved) {}

    private final String me;
    private final ReplicaSet replicas;
    private final Membership membership;
    private final MemberRoster roster;
    private final RemovedMembers removed;
    private final int minInSync;
    private final Ticker ticker;
    private final ExecutorService worker;

    /** @param membership the group as replicas see it (removed members left out) */
    public MemberRemoval(
            String me,
            ReplicaSet replicas,
            Membership membership,
            MemberRoster roster,
            RemovedMembers removed,
            int minInSync,
            Ticker ticker) {
        this.me = me;
        this.replicas = replicas;
        this.membership = membership;
        this.roster = roster;
        this.removed = removed;
        this.minInSync = minInSync;
        this.ticker = ticker;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "member-removal");
            t.setDaemon(true);
            return t;
        });
    }

    /** Removes {@code member}, within {@code timeout}; completes once no partition counts it any more. */
    public CompletableFuture<Removal> remove(String member, Duration timeout) {
        return CompletableFuture.supplyAsync(() -> removeNow(member, timeout), worker);
    }

    /** Adds a removed {@code member} back: leaders send to it again and take it into the ISR once caught up. */
    public CompletableFuture<Readmission> add(String member) {
        return CompletableFuture.supplyAsync(
                () -> {
                    requireKnown(member);
                    boolean was = removed.unmark(member).join();
                    log.info("[{}] {} added back to the group{}", me, member, was ? "" : " (it was not removed)");
                    return new Readmission(member, was);
                },
                worker);
    }

    private Removal removeNow(String member, Duration timeout) {
        long start = ticker.nanos();
        requireKnown(member);
        if (!removed.contains(member)) requireEnoughLeft(member, replicas.status());
        log.info("[{}] removing {} from the group", me, member);
        List<SwitchoverResult> switched = new ArrayList<>();
        for (ReplicaStatus s : replicas.status()) {
            if (!member.equals(s.leader())) continue;
            String successor = successor(s, member);
            switched.add(await(replicas.switchover(s.partition(), successor, remaining(start, timeout), true), member));
        }
        removed.mark(member).join();
        while (counted(member)) {
            if (ticker.elapsed(start, timeout)) {
                throw new MemberRemovalException(
                        member,
                        MemberRemovalRefusal.TIMED_OUT,
                        "marked removed, but after " + timeout.toMillis() + " ms a partition still counts it: "
                                + replicas.status() + "; its leaders drop it on their next tick, check /v1/status");
            }
            pause();
        }
        log.info("[{}] {} removed: out of every ISR, switched over {}", me, member, switched);
        return new Removal(member, switched, replicas.status());
    }

    private void requireKnown(String member) {
        Set<String> known = new TreeSet<>(roster.known());
        known.addAll(removed.ids());
        replicas.status().forEach(s -> known.addAll(s.isr()));
        if (!known.contains(member)) {
            throw new MemberRemovalException(
                    member,
                    MemberRemovalRefusal.UNKNOWN_MEMBER,
                    "no such member in this group (known: " + known + "); check the member id");
        }
    }

    private void requireEnoughLeft(String member, List<ReplicaStatus> statuses) {
        for (ReplicaStatus s : statuses) {
            if (s.isr().contains(member) && s.isr().size() - 1 < minInSync) {
                throw new MemberRemovalException(
                        member,
                        MemberRemovalRefusal.BELOW_MIN_IN_SYNC,
                        "partition " + s.partition() + " has ISR " + s.isr() + "; without " + member + " it would have "
                                + (s.isr().size() - 1) + " member(s), below replication.minInSync " + minInSync
                                + ": add a member and wait until it is in the ISR first");
            }
        }
    }

    /** The live ISR member, other than {@code member}, to hand the partition to (the first by id). */
    private String successor(ReplicaStatus s, String member) {
        return s.isr().stream()
                .filter(id -> !id.equals(member) && membership.live().containsKey(id))
                .sorted()
                .findFirst()
                .orElseThrow(() -> new MemberRemovalException(
                        member,
                        MemberRemovalRefusal.BELOW_MIN_IN_SYNC,
                        "it leads partition " + s.partition() + " and no other live member is in its ISR " + s.isr()));
    }

    private boolean counted(String member) {
        return replicas.status().stream().anyMatch(s -> s.isr().contains(member) || member.equals(s.leader()));
    }

    private Duration remaining(long start, Duration timeout) {
        Duration left = timeout.minus(ticker.since(start));
        return left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left;
    }

    private <T> T await(CompletableFuture<T> future, String member) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) throw r;
            throw new CompletionException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException("interrupted while removing " + member, e);
        }
    }

    /** The removal waits on this dedicated thread for leaders to drop the member; state changes come by watches. */
    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
