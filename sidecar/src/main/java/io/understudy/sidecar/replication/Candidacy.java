package io.understudy.sidecar.replication;

import io.understudy.sidecar.coordination.LeaderElection;
import io.understudy.sidecar.coordination.Membership;
import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.coordination.PartitionStateStore;
import io.understudy.sidecar.coordination.Versioned;
import io.understudy.sidecar.log.DurableLong;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A candidate's work (docs/design.md rule 2): having won the latch, re-read the state, claim the next epoch with a
 * conditional write, and lead if it wins. A failed claim is re-read at a later tick after a back-off, never bumped
 * in a loop; after {@value #MAX_CLAIM_FAILURES} in a row the latch is given up. Runs on the partition loop.
 */
final class Candidacy {
    private static final Logger log = LoggerFactory.getLogger(Candidacy.class);
    private static final int MAX_CLAIM_FAILURES = 5;

    private final int partition;
    private final String me;
    private final String dataDirId;
    private final DurableLong knownEpoch;
    private final PartitionStateStore store;
    private final LeaderElection election;
    private final Ticker ticker;
    private final Clock clock;
    private final Membership membership;
    private final RoleSwitch roles;
    private final RoleHost replica;
    private final String tag;

    private int claimFailures;
    /** {@link Ticker} reading before which no new claim starts (back-off after failed claims). */
    private long nextClaimNanos;

    Candidacy(
            int partition,
            String me,
            String dataDirId,
            DurableLong knownEpoch,
            PartitionStateStore store,
            LeaderElection election,
            Ticker ticker,
            Clock clock,
            Membership membership,
            RoleSwitch roles,
            RoleHost replica,
            String tag) {
        this.partition = partition;
        this.me = me;
        this.dataDirId = dataDirId;
        this.knownEpoch = knownEpoch;
        this.store = store;
        this.election = election;
        this.ticker = ticker;
        this.clock = clock;
        this.membership = membership;
        this.roles = roles;
        this.replica = replica;
        this.tag = tag;
        this.nextClaimNanos = ticker.nanos();
    }

    /** Whether the back-off after failed claims is over. */
    boolean mayClaim() {
        return ticker.nanos() - nextClaimNanos >= 0;
    }

    /** Becomes CANDIDATE and claims the next epoch if the state read back still allows it. */
    void start() {
        roles.switchTo(ReplicaRole.CANDIDATE);
        store.read(partition)
                .whenComplete((seen, error) -> replica.onLoop(() -> {
                    if (!roles.is(ReplicaRole.CANDIDATE)) return;
                    if (error != null) {
                        claimFailed("cannot read state: " + CompletionCause.of(error));
                        return;
                    }
                    replica.stateSeen(seen);
                    if (!roles.is(ReplicaRole.CANDIDATE)) return;
                    if (!seen.value().inIsr(me, dataDirId) || !election.holdsLatch()) {
                        roles.switchTo(ReplicaRole.FOLLOWER);
                        return;
                    }
                    String successor = seen.value().successorAt(clock.millis());
                    if (successor != null
                            && !successor.equals(me)
                            && membership.live().containsKey(successor)) {
                        yieldTo(successor);
                        return;
                    }
                    long newEpoch = Math.max(seen.value().epoch(), knownEpoch.get()) + 1;
                    PartitionState next = seen.value().ledBy(me, newEpoch);
                    store.claim(partition, next, seen.version(), election.latchNodePath())
                            .whenComplete((claimed, lost) -> replica.onLoop(() -> claimDone(claimed, lost)));
                }));
    }

    /**
     * A switchover names another member to claim the next epoch: stand aside, to the back of the latch's queue
     * (the tick joins it again), so that the latch reaches the successor.
     */
    private void yieldTo(String successor) {
        log.info("{} a switchover hands the partition to {}: leaving the latch to it", tag, successor);
        roles.switchTo(ReplicaRole.FOLLOWER);
        election.leave();
    }

    private void claimDone(Versioned<PartitionState> claimed, Throwable lost) {
        if (lost != null) {
            claimFailed(CompletionCause.of(lost).getMessage());
            return;
        }
        replica.raiseKnownEpoch(claimed.value().epoch(), "own claim");
        if (!roles.is(ReplicaRole.CANDIDATE)) {
            log.info(
                    "{} claimed epoch {} but gave the candidacy up meanwhile",
                    tag,
                    claimed.value().epoch());
            return;
        }
        claimFailures = 0;
        replica.lead(claimed);
    }

    private void claimFailed(String why) {
        roles.withdrawCandidacy();
        claimFailures++;
        nextClaimNanos =
                ticker.nanos() + Duration.ofMillis(200L * claimFailures).toNanos();
        log.info("{} epoch claim failed ({}), attempt {}", tag, why, claimFailures);
        if (claimFailures >= MAX_CLAIM_FAILURES) {
            log.warn("{} giving the latch up after {} failed claims", tag, claimFailures);
            claimFailures = 0;
            election.leave();
        }
    }
}
