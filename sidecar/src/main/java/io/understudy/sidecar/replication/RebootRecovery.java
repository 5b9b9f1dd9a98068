package io.understudy.sidecar.replication;

import io.understudy.sidecar.coordination.IsrMember;
import io.understudy.sidecar.coordination.MemberInfo;
import io.understudy.sidecar.coordination.Membership;
import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.coordination.PartitionStateStore;
import io.understudy.sidecar.coordination.Versioned;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery after a reboot of every member of the last ISR (the way Kafka's KIP-966 recovers from an "unclean"
 * shutdown of every replica): with {@code fsync} not {@code always}, each of them came back with a new data dir id
 * (see {@code docs/design.md}, rule 1), so none is in the ISR and none may lead. Waiting for an operator helps
 * nobody: once every member of the last ISR is back, the most complete one (highest last epoch, then highest log
 * end; the lowest member id on a tie, so that every member reaches the same choice) restarts the ISR alone, and
 * the state records when and what may have been lost (entries acknowledged beyond its log end, if any were only
 * in the page caches the reboots lost). The write is conditional on the version read. Used from the partition
 * loop only.
 */
final class RebootRecovery {
    private static final Logger log = LoggerFactory.getLogger(RebootRecovery.class);

    /** The member that restarts the ISR, and how complete its log is. */
    record Choice(String member, String dataDirId, long lastEpoch, long logEnd) {
        /** The state after the recovery: this member alone in the ISR, epoch and leader as they were. */
        PartitionState recoveredState(PartitionState last, long nowMillis) {
            String loss = "every member of ISR " + last.isrMemberIds() + " came back after a reboot with fsync not "
                    + "'always'; the ISR restarted from " + member + " (log end " + logEnd + ", last epoch "
                    + lastEpoch + "): entries acknowledged after index " + logEnd + " may be lost";
            return new PartitionState(
                    last.epoch(),
                    last.leader(),
                    List.of(new IsrMember(member, dataDirId)),
                    last.uncleanSince(),
                    nowMillis,
                    loss,
                    last.incarnation());
        }
    }

    private final int partition;
    private final IsrMember self;
    private final PartitionStateStore store;
    private final Membership membership;
    private final Clock clock;
    private final String tag;

    RebootRecovery(int partition, IsrMember self, PartitionStateStore store, Membership membership, Clock clock) {
        this.partition = partition;
        this.self = self;
        this.store = store;
        this.membership = membership;
        this.clock = clock;
        this.tag = "[" + self.member() + " p" + partition + "]";
    }

    /**
     * The member that should restart the ISR: empty while the ISR is empty, while any ISR member is alive with the
     * data dir the ISR names (it leads the normal way), or while any member of the last ISR is not back yet (it may
     * hold more than those that are).
     */
    static Optional<Choice> choose(int partition, PartitionState state, Map<String, MemberInfo> live) {
        if (state.isr().isEmpty()) return Optional.empty();
        for (IsrMember entry : state.isr()) {
            MemberInfo info = live.get(entry.member());
            if (info == null || info.partitions().get(partition) == null) return Optional.empty();
            if (info.dataDirId().equals(entry.dataDirId())) return Optional.empty();
        }
        return state.isr().stream()
                .map(entry -> live.get(entry.member()))
                .map(info -> {
                    MemberInfo.PartitionProgress p = info.partitions().get(partition);
                    return new Choice(info.id(), info.dataDirId(), p.lastEpoch(), p.logEnd());
                })
                .min(Comparator.comparingLong(Choice::lastEpoch)
                        .reversed()
                        .thenComparing(Comparator.comparingLong(Choice::logEnd).reversed())
                        .thenComparing(Choice::member));
    }

    /** Called on every tick: restarts the ISR when this member is the one chosen. Completes with the new state or null. */
    CompletableFuture<Versioned<PartitionState>> consider(Versioned<PartitionState> seen) {
        Optional<Choice> choice = choose(partition, seen.value(), membership.live());
        if (choice.isEmpty()
                || !choice.get().member().equals(self.member())
                || !choice.get().dataDirId().equals(self.dataDirId())) {
            return CompletableFuture.completedFuture(null);
        }
        PartitionState next = choice.get().recoveredState(seen.value(), clock.millis());
        return store.compareAndSet(partition, next, seen.version()).handle((taken, lost) -> {
            if (lost != null) return null; // the state changed meanwhile: the watch brings it
            log.warn("{} REBOOT RECOVERY: {}", tag, next.possibleLoss());
            return taken;
        });
    }
}
