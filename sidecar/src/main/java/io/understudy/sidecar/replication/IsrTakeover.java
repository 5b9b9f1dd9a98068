package io.understudy.sidecar.replication;

import io.understudy.sidecar.coordination.IsrMember;
import io.understudy.sidecar.coordination.MemberInfo;
import io.understudy.sidecar.coordination.Membership;
import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.coordination.PartitionStateStore;
import io.understudy.sidecar.coordination.Versioned;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes this member in as the whole ISR when nobody else can be: for a new partition (empty ISR, epoch 0), or,
 * only with {@code replication.uncleanElection}, when no ISR member has been alive for the grace period (docs/design.md
 * rule 1's exception). The write is conditional, so one member wins; it then joins the latch and claims the epoch
 * the normal way. Used from the partition loop only.
 */
final class IsrTakeover {
    private static final Logger log = LoggerFactory.getLogger(IsrTakeover.class);

    private final int partition;
    private final IsrMember self;
    private final PartitionStateStore store;
    private final Membership membership;
    private final boolean uncleanAllowed;
    private final Duration uncleanGrace;
    private final Clock clock;
    private final Ticker ticker;
    private final LongSupplier logEnd;
    private final String tag;
    /** {@link Ticker} reading of when no ISR member was first seen alive; meaningful while {@code counting}. */
    private long noIsrAliveSince;

    private boolean counting;

    IsrTakeover(
            int partition,
            IsrMember self,
            PartitionStateStore store,
            Membership membership,
            boolean uncleanAllowed,
            Duration uncleanGrace,
            Clock clock,
            Ticker ticker,
            LongSupplier logEnd) {
        this.partition = partition;
        this.self = self;
        this.store = store;
        this.membership = membership;
        this.uncleanAllowed = uncleanAllowed;
        this.uncleanGrace = uncleanGrace;
        this.clock = clock;
        this.ticker = ticker;
        this.logEnd = logEnd;
        this.tag = "[" + self.member() + " p" + partition + "]";
    }

    /** Takes a new partition's empty ISR; completes with the new state, or null when there was nothing to take. */
    CompletableFuture<Versioned<PartitionState>> takeIfNew(Versioned<PartitionState> seen) {
        PartitionState s = seen.value();
        if (s.epoch() != 0 || !s.isr().isEmpty()) return CompletableFuture.completedFuture(null);
        return take(
                seen, s.withIsr(List.of(self)), () -> log.info("{} new partition: this member starts its ISR", tag));
    }

    /**
     * Called on every tick: once no member of the ISR has been alive for the grace period, and unclean elections
     * are allowed, takes the ISR. Completes with the new state, or null when nothing was taken.
     */
    CompletableFuture<Versioned<PartitionState>> considerUnclean(Versioned<PartitionState> seen) {
        PartitionState s = seen.value();
        if (!uncleanAllowed || s.isr().isEmpty() || s.inIsr(self.member(), self.dataDirId()) || anyIsrMemberAlive(s)) {
            counting = false;
            return CompletableFuture.completedFuture(null);
        }
        if (!counting) {
            counting = true;
            noIsrAliveSince = ticker.nanos();
        }
        if (!ticker.elapsed(noIsrAliveSince, uncleanGrace)) return CompletableFuture.completedFuture(null);
        counting = false;
        PartitionState next =
                new PartitionState(s.epoch(), s.leader(), List.of(self), clock.millis(), 0, null, s.incarnation());
        return take(
                seen,
                next,
                () -> log.warn(
                        "{} UNCLEAN ELECTION: no member of ISR {} alive; this member restarts "
                                + "the ISR. Entries acknowledged by the old ISR beyond this member's log end {} are lost",
                        tag,
                        s.isrMemberIds(),
                        logEnd.getAsLong()));
    }

    private boolean anyIsrMemberAlive(PartitionState s) {
        Map<String, MemberInfo> live = membership.live();
        return s.isr().stream().anyMatch(m -> {
            MemberInfo info = live.get(m.member());
            return info != null && info.dataDirId().equals(m.dataDirId());
        });
    }

    private CompletableFuture<Versioned<PartitionState>> take(
            Versioned<PartitionState> seen, PartitionState next, Runnable announce) {
        return store.compareAndSet(partition, next, seen.version()).handle((taken, lost) -> {
            if (lost != null) return null; // another member took it first: its state arrives through the watch
            announce.run();
            return taken;
        });
    }
}
