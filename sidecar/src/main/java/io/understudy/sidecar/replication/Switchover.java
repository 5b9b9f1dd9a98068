package io.understudy.sidecar.replication;

import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.coordination.PartitionStateStore;
import io.understudy.sidecar.coordination.Versioned;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A switchover: the leader hands its partition to one chosen member (docs/design.md, "Switchover"). It stops
 * taking writes (the members they entered route them again, {@link LeaderWait}), waits until the target holds the
 * whole log and everything is committed, names the target as successor in the state znode (a conditional write:
 * no other member claims the next epoch while it binds, {@link Candidacy}), steps down and leaves the latch, and
 * answers once the state shows the target leading a higher epoch. Before the hand-off a time-out gives the
 * partition back to this leader; after it, the successor lapses at the deadline and the election is the usual
 * one. Runs on the partition loop.
 */
final class Switchover {
    private static final Logger log = LoggerFactory.getLogger(Switchover.class);
    private static final long POLL_MILLIS = 10;

    /** What a switchover needs from its replica; called on the loop. */
    interface Host {
        void onLoop(Runnable task);

        /** The session leading now, or null. */
        LeaderSession session();

        /** Ends the leadership and leaves the latch. */
        void stepDown(String reason);

        /** Live members, each with the data directory id its znode names. */
        Map<String, String> liveDataDirs();

        /** Every member seen since this member started. */
        Set<String> knownMembers();
    }

    private final int partition;
    private final String me;
    private final PartitionStateStore store;
    private final Clock clock;
    private final Ticker ticker;
    private final ScheduledExecutorService timer;
    private final Host host;
    private final String tag;

    private Attempt attempt;

    private static final class Attempt {
        final String target;
        final LeaderSession session;
        final long deadlineNanos;
        final CompletableFuture<SwitchoverResult> done;
        boolean handedOff;

        Attempt(String target, LeaderSession session, long deadlineNanos, CompletableFuture<SwitchoverResult> done) {
            this.target = target;
            this.session = session;
            this.deadlineNanos = deadlineNanos;
            this.done = done;
        }
    }

    Switchover(
            int partition,
            String me,
            PartitionStateStore store,
            Clock clock,
            Ticker ticker,
            ScheduledExecutorService timer,
            Host host,
            String tag) {
        this.partition = partition;
        this.me = me;
        this.store = store;
        this.clock = clock;
        this.ticker = ticker;
        this.timer = timer;
        this.host = host;
        this.tag = tag;
    }

    /** Whether a switchover is under way. */
    boolean active() {
        return attempt != null;
    }

    /** Starts handing the partition to {@code target}; {@code done} completes when it leads, or fails saying why. */
    void start(String target, Duration timeout, CompletableFuture<SwitchoverResult> done) {
        LeaderSession session = host.session();
        if (session == null) {
            done.completeExceptionally(new NotLeaderException(partition, null, "this member does not lead it"));
            return;
        }
        if (attempt != null) {
            done.completeExceptionally(new SwitchoverException(
                    partition,
                    SwitchoverRefusal.IN_PROGRESS,
                    "a switchover to " + attempt.target + " is under way; wait for it, then check the status"));
            return;
        }
        try {
            SwitchoverCheck.check(
                    partition, me, target, session.state().value(), host.liveDataDirs(), host.knownMembers());
        } catch (SwitchoverException refused) {
            done.completeExceptionally(refused);
            return;
        }
        attempt = new Attempt(target, session, ticker.nanos() + timeout.toNanos(), done);
        session.drain();
        log.info("{} switchover to {} started: taking no new writes until it leads", tag, target);
        poll(attempt);
    }

    /** The partition's state changed: the switchover is over once a higher epoch than the one handed off exists. */
    void stateSeen(PartitionState s) {
        Attempt a = attempt;
        if (a == null || !a.handedOff || s.epoch() <= a.session.epoch()) return;
        if (a.target.equals(s.leader())) {
            log.info("{} switchover done: {} leads epoch {}", tag, a.target, s.epoch());
            finish(a, new SwitchoverResult(partition, me, a.target, s.epoch()), null);
        } else {
            finish(
                    a,
                    null,
                    new SwitchoverException(
                            partition,
                            SwitchoverRefusal.INTERRUPTED,
                            s.leader() + " claimed epoch " + s.epoch() + " instead of " + a.target
                                    + "; check the status and retry"));
        }
    }

    private void poll(Attempt a) {
        if (attempt != a || a.handedOff) return;
        if (host.session() != a.session) {
            fail(a, SwitchoverRefusal.INTERRUPTED, "this member lost the leadership meanwhile; check the status");
            return;
        }
        try {
            SwitchoverCheck.check(
                    partition, me, a.target, a.session.state().value(), host.liveDataDirs(), host.knownMembers());
        } catch (SwitchoverException refused) {
            giveBack(a, refused);
            return;
        }
        if (ticker.nanos() - a.deadlineNanos >= 0) {
            giveBack(
                    a,
                    new SwitchoverException(
                            partition,
                            SwitchoverRefusal.TIMED_OUT,
                            a.target + " did not catch up in time; " + me + " leads on and takes writes again. Check"
                                    + " its lag in the status, then retry, perhaps with a longer time-out"));
            return;
        }
        if (!a.session.handOverReady(a.target)) {
            timer.schedule(() -> host.onLoop(() -> poll(a)), POLL_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        a.handedOff = true;
        Versioned<PartitionState> current = a.session.state();
        long remainingMillis = Math.max(0, (a.deadlineNanos - ticker.nanos()) / 1_000_000);
        PartitionState named = current.value().withSuccessor(a.target, clock.millis() + remainingMillis);
        store.compareAndSet(partition, named, current.version())
                .whenComplete((written, error) -> host.onLoop(() -> named(a, error, remainingMillis)));
    }

    private void named(Attempt a, Throwable error, long remainingMillis) {
        if (attempt != a) return;
        if (error != null) {
            giveBack(
                    a,
                    new SwitchoverException(
                            partition,
                            SwitchoverRefusal.INTERRUPTED,
                            "the partition's state changed meanwhile ("
                                    + CompletionCause.of(error).getMessage() + "); check the status and retry"));
            return;
        }
        log.info(
                "{} switchover: {} holds the whole log ({}), named successor; stepping down",
                tag,
                a.target,
                a.session.commitIndex());
        host.stepDown("switching over to " + a.target);
        timer.schedule(() -> host.onLoop(() -> expire(a)), remainingMillis, TimeUnit.MILLISECONDS);
    }

    private void expire(Attempt a) {
        if (attempt != a) return;
        fail(
                a,
                SwitchoverRefusal.TIMED_OUT,
                a.target + " was handed the partition but did not claim it in time; the usual election follows"
                        + " (any ISR member may lead). Check the status");
    }

    /** Ends the attempt before the hand-off: this member leads on and takes writes again. */
    private void giveBack(Attempt a, SwitchoverException why) {
        if (host.session() == a.session) a.session.undrain();
        log.info("{} switchover to {} abandoned, leading on: {}", tag, a.target, why.getMessage());
        finish(a, null, why);
    }

    private void fail(Attempt a, SwitchoverRefusal reason, String why) {
        log.info("{} switchover to {} failed: {}", tag, a.target, why);
        finish(a, null, new SwitchoverException(partition, reason, why));
    }

    private void finish(Attempt a, SwitchoverResult result, Throwable error) {
        if (attempt == a) attempt = null;
        if (error != null) a.done.completeExceptionally(error);
        else a.done.complete(result);
    }
}
