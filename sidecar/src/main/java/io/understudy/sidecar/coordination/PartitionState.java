package io.understudy.sidecar.coordination;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The content of a partition's state znode: the current epoch, the member that leads it and the ISR.
 * Changed only by conditional writes on the znode's version.
 *
 * @param epoch the leader term; 0 before any leader was elected
 * @param leader the leader of {@code epoch}, or null when none has been elected yet
 * @param isr the in-sync replicas
 * @param uncleanSince when positive, the time (ms) an unclean election made the ISR restart from a
 *     member that was not in it: entries acknowledged before may be lost
 * @param recoveredAt when positive, the time (ms) a reboot recovery made the ISR restart from the most complete
 *     member of the last ISR after every one of them came back after a reboot (see {@code RebootRecovery})
 * @param possibleLoss with {@code recoveredAt}: what that recovery may have lost, in words; null otherwise
 * @param successor during a switchover, the member the leader of {@code epoch} hands the partition to: until
 *     {@code successorUntil} no other member claims the next epoch (docs/design.md, "Switchover"); null otherwise
 * @param successorUntil the wall-clock time (ms) after which {@code successor} no longer binds anyone
 * @param incarnation a random number drawn when the znode was created, which members record in their data dirs:
 *     a member holding data recorded under another incarnation knows ZooKeeper forgot its group (see
 *     {@code GroupIncarnation}); 0 in znodes written before it existed
 */
public record PartitionState(
        long epoch,
        String leader,
        List<IsrMember> isr,
        long uncleanSince,
        long recoveredAt,
        String possibleLoss,
        String successor,
        long successorUntil,
        long incarnation) {
    public static final PartitionState INITIAL = new PartitionState(0, null, List.of(), 0);

    public PartitionState {
        isr = List.copyOf(isr);
    }

    public PartitionState(long epoch, String leader, List<IsrMember> isr, long uncleanSince) {
        this(epoch, leader, isr, uncleanSince, 0, null, null, 0, 0);
    }

    /** A random positive incarnation: two creations of the same znode never share one in practice. */
    public static long drawIncarnation(RandomGenerator random) {
        long drawn;
        do drawn = random.nextLong() & Long.MAX_VALUE;
        while (drawn == 0);
        return drawn;
    }

    /** A new partition's state (no epoch, no leader, empty ISR) under a new incarnation. */
    public static PartitionState newIncarnation(long incarnation) {
        return new PartitionState(0, null, List.of(), 0, 0, null, null, 0, incarnation);
    }

    /** A state with no switchover under way. */
    public PartitionState(
            long epoch,
            String leader,
            List<IsrMember> isr,
            long uncleanSince,
            long recoveredAt,
            String possibleLoss,
            long incarnation) {
        this(epoch, leader, isr, uncleanSince, recoveredAt, possibleLoss, null, 0, incarnation);
    }

    /** The successor a switchover named, while it still binds at {@code nowMillis}; null otherwise. */
    public String successorAt(long nowMillis) {
        return successor != null && nowMillis < successorUntil ? successor : null;
    }

    /** The same term, with {@code member} named to claim the next epoch until {@code untilMillis}. */
    public PartitionState withSuccessor(String member, long untilMillis) {
        return new PartitionState(
                epoch, leader, isr, uncleanSince, recoveredAt, possibleLoss, member, untilMillis, incarnation);
    }

    public boolean inIsr(String member, String dataDirId) {
        return isr.contains(new IsrMember(member, dataDirId));
    }

    public Optional<IsrMember> isrEntryOf(String member) {
        return isr.stream().filter(m -> m.member().equals(member)).findFirst();
    }

    public boolean hasIsrMember(String member) {
        return isrEntryOf(member).isPresent();
    }

    public List<String> isrMemberIds() {
        return isr.stream().map(IsrMember::member).toList();
    }

    /** The next term: a won claim, which also ends any switchover's successor. */
    public PartitionState ledBy(String newLeader, long newEpoch) {
        return new PartitionState(newEpoch, newLeader, isr, uncleanSince, recoveredAt, possibleLoss, incarnation);
    }

    public PartitionState withIsr(List<IsrMember> newIsr) {
        return new PartitionState(
                epoch, leader, newIsr, uncleanSince, recoveredAt, possibleLoss, successor, successorUntil, incarnation);
    }

    /** The ISR with {@code member} (whatever its data dir) replaced by {@code entry}. */
    public PartitionState withIsrMember(IsrMember entry) {
        List<IsrMember> next =
                new ArrayList<>(withoutMembers(List.of(entry.member())).isr());
        next.add(entry);
        return withIsr(next);
    }

    public PartitionState withoutMembers(List<String> members) {
        return withIsr(isr.stream().filter(m -> !members.contains(m.member())).toList());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartitionState s
                && epoch == s.epoch
                && Objects.equals(leader, s.leader)
                && isr.equals(s.isr)
                && uncleanSince == s.uncleanSince
                && recoveredAt == s.recoveredAt
                && Objects.equals(possibleLoss, s.possibleLoss)
                && Objects.equals(successor, s.successor)
                && successorUntil == s.successorUntil
                && incarnation == s.incarnation;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                epoch, leader, isr, uncleanSince, recoveredAt, possibleLoss, successor, successorUntil, incarnation);
    }
}
