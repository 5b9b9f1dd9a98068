package io.understudy.sidecar.replication;

import io.understudy.sidecar.coordination.ConnectionListener;
import io.understudy.sidecar.coordination.IsrMember;
import io.understudy.sidecar.coordination.LeaderElection;
import io.understudy.sidecar.coordination.MemberInfo;
import io.understudy.sidecar.coordination.Membership;
import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.coordination.PartitionStateStore;
import io.understudy.sidecar.coordination.Versioned;
import io.understudy.sidecar.log.DurableLong;
import io.understudy.sidecar.log.LogFailedException;
import io.understudy.sidecar.log.PartitionLog;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member's replica of one partition: the role switch of docs/design.md section 2. It takes in the partition's
 * state, the known epoch, latch edges, connection changes and ticks, and hands each role's work to its own object:
 * {@link Candidacy} (claiming an epoch), {@link Leadership} (the {@link LeaderSession} and its life),
 * {@link FollowerAppends} (a leader's appends), {@link HandOver} (a planned step-down) and {@link ForwardedWrites}.
 * Every change of state runs on one thread (the partition loop); other threads post to it and read published
 * snapshots ({@link RoleSwitch} and the fields below).
 */
public final class PartitionReplica implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PartitionReplica.class);
    private static final String DISK_ADVICE =
            "Check the disk (kernel log), then restart the member with an empty data dir, or after a reboot: until"
                    + " then the page cache may still show data the disk never got.";

    private final int partition;
    private final String me;
    private final String dataDirId;
    private final PartitionLog partitionLog;
    private final DurableLong knownEpoch;
    private final PartitionStateStore store;
    private final Membership membership;
    private final ReplicaSettings settings;
    private final ReplicaListener listener;
    private final ScheduledExecutorService timer;
    private final ExecutorService loop;
    private final LeaderElection election;
    private final RoleSwitch roles = new RoleSwitch();
    private final FollowerAppends follower;
    private final Candidacy candidacy;
    private final Leadership leadership;
    private final IsrTakeover takeover;
    private final RebootRecovery rebootRecovery;
    private final PendingWriteLimit pendingWrites;
    private final ForwardedWrites forwards;
    private final HandOver handOver;
    private final String tag;

    // Confined to the loop.
    private Versioned<PartitionState> state;
    private boolean connected = true;

    private ScheduledFuture<?> ticking;
    private boolean closing;

    // Published for other threads.
    private volatile PartitionState publishedState = PartitionState.INITIAL;
    private volatile long commitIndex;
    /** False until {@link #start()}: the member's view of the group is not loaded, so it serves no peer or write. */
    private volatile boolean started;

    private volatile boolean stateLoaded;

    public PartitionReplica(
            int partition,
            String me,
            String dataDirId,
            PartitionLog partitionLog,
            DurableLong knownEpoch,
            long initialCommitIndex,
            PartitionStateStore store,
            Membership membership,
            Function<LeaderElection.Listener, LeaderElection> elections,
            PeerClient peers,
            ReplicaSettings settings,
            Clock clock,
            Ticker ticker,
            ReplicaListener listener,
            ScheduledExecutorService timer) {
        this.partition = partition;
        this.me = me;
        this.dataDirId = dataDirId;
        this.partitionLog = partitionLog;
        this.knownEpoch = knownEpoch;
        this.commitIndex = Math.min(initialCommitIndex, partitionLog.logEnd());
        this.store = store;
        this.membership = membership;
        this.settings = settings;
        this.listener = listener;
        this.timer = timer;
        this.tag = "[" + me + " p" + partition + "]";
        this.loop = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "p" + partition + "-loop");
            t.setDaemon(true);
            return t;
        });
        this.election = elections.apply(new ElectionEvents());
        Callbacks callbacks = new Callbacks();
        this.follower = new FollowerAppends(partition, dataDirId, partitionLog, knownEpoch, roles, callbacks, tag);
        this.candidacy =
                new Candidacy(partition, me, dataDirId, knownEpoch, store, election, ticker, roles, callbacks, tag);
        this.leadership = new Leadership(
                partition,
                me,
                partitionLog,
                knownEpoch,
                store,
                election,
                roles,
                listener,
                callbacks,
                claimed -> new LeaderSession(
                        partition,
                        me,
                        claimed,
                        commitIndex,
                        partitionLog,
                        store,
                        peers,
                        settings.leader(),
                        clock,
                        ticker,
                        callbacks),
                tag);
        this.handOver = new HandOver(election, ticker, timer, this::onLoop, leadership::session, leadership::stepDown);
        this.pendingWrites = new PendingWriteLimit(settings.leader().maxPendingWrites());
        this.forwards = new ForwardedWrites(partition, knownEpoch::get);
        this.takeover = new IsrTakeover(
                partition,
                new IsrMember(me, dataDirId),
                store,
                membership,
                settings.uncleanElection(),
                settings.uncleanGrace(),
                clock,
                ticker,
                partitionLog::logEnd);
        this.rebootRecovery = new RebootRecovery(partition, new IsrMember(me, dataDirId), store, membership, clock);
    }

    /** Call once the membership view is loaded and this member registered: from then on it serves appends. */
    public void start() {
        started = true;
        store.watch(partition, seen -> onLoop(() -> stateSeen(seen)));
        store.initialize(partition)
                .whenComplete((seen, error) -> onLoop(() -> {
                    if (error != null)
                        log.warn(
                                "{} cannot read partition state: {}",
                                tag,
                                CompletionCause.of(error).toString());
                    else stateSeen(seen);
                }));
        long tick = settings.tickInterval().toMillis();
        ticking = timer.scheduleWithFixedDelay(() -> onLoop(this::tick), tick, tick, TimeUnit.MILLISECONDS);
    }

    // ---- requests from other threads

    /** Takes a client write if this member leads the partition; fails with {@link NotLeaderException} if not. */
    public CompletableFuture<Ack> write(WriteRequest request) {
        if (!pendingWrites.tryAcquire()) {
            return CompletableFuture.failedFuture(new OverloadedException("partition " + partition + " holds "
                    + pendingWrites.max() + " pending writes (replication.maxPendingWrites); retry shortly"));
        }
        CompletableFuture<Ack> result = new CompletableFuture<>();
        result.whenComplete((ack, error) -> pendingWrites.release());
        onLoop(() -> {
            if (roles.is(ReplicaRole.LEADER)) leadership.session().submit(request, result);
            else if (roles.is(ReplicaRole.FAILED))
                result.completeExceptionally(new PartitionFailedException(partition, roles.failure()));
            else
                result.completeExceptionally(
                        new NotLeaderException(partition, roles.leader(), "this member is " + roles.role()));
        });
        return result;
    }

    /** Handles a leader's append (docs/design.md rules 3 and 4). */
    public CompletableFuture<AppendResponse> append(AppendRequest request) {
        CompletableFuture<AppendResponse> result = new CompletableFuture<>();
        onLoop(() -> follower.handle(request, result));
        return result;
    }

    public void connectionChanged(ConnectionListener.Change change) {
        onLoop(() -> onConnectionChange(change));
    }

    public void membersChanged() {
        onLoop(leadership::maintain);
    }

    /**
     * Graceful hand-over: stops taking writes, gives in-flight ones up to {@code grace} to commit, then steps down
     * and leaves the latch so that another member takes over without waiting for a session to expire.
     */
    public CompletableFuture<Void> handOver(Duration grace) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        onLoop(() -> {
            closing = true;
            if (ticking != null) ticking.cancel(false);
            handOver.yieldLeadership(grace, "shutting down", done);
        });
        return done;
    }

    /**
     * Answers a write forwarded to the leader no later than the moment a higher epoch appears (see
     * {@link ForwardedWrites}).
     */
    public CompletableFuture<Ack> whileLeaderUnchanged(CompletableFuture<Ack> forwarded) {
        // The highest epoch known here, from the state znode or from the leader's own appends.
        return forwards.track(forwarded, Math.max(publishedState.epoch(), knownEpoch.get()));
    }

    /** True once started: the member's view of the group is loaded. */
    public boolean isStarted() {
        return started;
    }

    /** True once the partition's state has been read from ZooKeeper: until then no one here knows who leads. */
    public boolean stateLoaded() {
        return stateLoaded;
    }

    public boolean isLeader() {
        return roles.is(ReplicaRole.LEADER);
    }

    /** True once this replica has stopped for good (see {@link ReplicaRole#FAILED}). */
    public boolean isFailed() {
        return roles.is(ReplicaRole.FAILED);
    }

    /** The epoch this member leads, 0 when it does not lead (what its heartbeat says). */
    public long leadingEpoch() {
        return roles.is(ReplicaRole.LEADER) ? publishedState.epoch() : 0;
    }

    /** The leader named by the partition's state, or null. */
    public String leader() {
        return roles.leader();
    }

    public long commitIndex() {
        return commitIndex;
    }

    public PartitionLog log() {
        return partitionLog;
    }

    public ReplicaStatus status() {
        PartitionState s = publishedState;
        return new ReplicaStatus(
                partition,
                roles.role(),
                roles.leader(),
                s.epoch(),
                partitionLog.logEnd(),
                commitIndex,
                s.isrMemberIds(),
                s.uncleanSince(),
                roles.failure(),
                s.recoveredAt(),
                s.possibleLoss());
    }

    // ---- the loop

    /**
     * Stops this replica for good: out of the election, no appends, no writes. FAILED is published before the
     * writes in flight are answered (outcome unknown), so that whoever hears of one sees the other.
     */
    private void failPartition(String why, String advice) {
        if (!roles.fail(why)) return;
        log.error("{} STOPPED: {}. The replica takes no more appends or writes. {}", tag, why, advice);
        leadership.stepDown("this member's replica stopped: " + why); // answers writes in flight, tells the app
        election.leave(); // a stopped replica holding the latch would keep every other member from leading
    }

    private void advanceCommitTo(long index) {
        if (index <= commitIndex) return;
        commitIndex = index;
        listener.commitAdvanced(partition, index);
    }

    private void stateSeen(Versioned<PartitionState> seen) {
        if (state != null && seen.version() < state.version()) return;
        state = seen;
        PartitionState s = seen.value();
        publishedState = s;
        stateLoaded = true;
        roles.follow(s.leader());
        raiseKnownEpoch(s.epoch(), "state znode");
        leadership.stateSeen(seen);
        takeIsr(takeover::takeIfNew);
        reconcileLatch();
    }

    private void raiseKnownEpoch(long epoch, String source) {
        if (epoch <= knownEpoch.get()) return;
        try {
            knownEpoch.set(epoch);
        } catch (IOException e) {
            // Rule 3 needs the epoch to survive a restart; a disk that cannot keep it cannot be trusted either.
            failPartition("cannot persist epoch " + epoch + " in " + knownEpoch.file() + ": " + e, DISK_ADVICE);
        }
        forwards.failBefore(epoch);
        leadership.epochSeen(epoch, source);
    }

    private void tick() {
        syncLog();
        reconcileLatch();
        if (leadership.active()) leadership.maintain();
        else if (roles.is(ReplicaRole.FOLLOWER) && connected && election.holdsLatch() && candidacy.mayClaim()) {
            candidacy.start();
        }
        takeIsr(takeover::considerUnclean);
        takeIsr(rebootRecovery::consider);
    }

    /** Under {@code fsync: interval} a quiet log still reaches the disk within the interval. */
    private void syncLog() {
        if (roles.is(ReplicaRole.FAILED)) return;
        try {
            partitionLog.sync();
        } catch (LogFailedException e) {
            failPartition(e.getMessage(), DISK_ADVICE);
        } catch (IOException e) {
            log.warn("{} periodic sync failed: {}", tag, e.toString());
        }
    }

    /** Rule 1: in the latch exactly while in the ISR (and connected, and not stopped). */
    private void reconcileLatch() {
        if (state == null || closing) return;
        boolean inIsr = state.value().inIsr(me, dataDirId);
        if (inIsr && connected && !roles.is(ReplicaRole.FAILED) && !election.joined()) {
            election.join();
        } else if (!inIsr && election.joined() && !roles.is(ReplicaRole.LEADER)) {
            election.leave();
        }
    }

    private void lead(Versioned<PartitionState> claimed) {
        state = claimed;
        publishedState = claimed.value();
        roles.follow(me);
        leadership.begin(claimed, connected);
    }

    private void onConnectionChange(ConnectionListener.Change change) {
        switch (change) {
            case CONNECTED -> connected = true;
            case SUSPENDED -> {
                connected = false;
                leadership.suspend();
            }
            case RECONNECTED -> {
                connected = true;
                leadership.verifyAfterReconnect();
                reconcileLatch();
            }
            case LOST -> {
                connected = false;
                if (leadership.active()) leadership.stepDown("ZooKeeper session lost");
                election.leave();
            }
        }
    }

    /** Takes the ISR when {@link IsrTakeover} says this member should (a new partition, or an unclean election). */
    private void takeIsr(Function<Versioned<PartitionState>, CompletableFuture<Versioned<PartitionState>>> how) {
        if (state == null || !roles.is(ReplicaRole.FOLLOWER) || !connected || closing) return;
        how.apply(state)
                .whenComplete((taken, error) -> onLoop(() -> {
                    if (taken != null) stateSeen(taken);
                }));
    }

    private void onLoop(Runnable task) {
        try {
            loop.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("{} unexpected failure on the partition loop", tag, e);
                }
            });
        } catch (RejectedExecutionException closing) {
            log.debug("{} closed, dropping a task", tag);
        }
    }

    @Override
    public void close() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        onLoop(() -> {
            closing = true;
            if (ticking != null) ticking.cancel(false);
            if (leadership.active()) leadership.stepDown("closing");
            election.close();
            closed.complete(null);
        });
        closed.orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        loop.shutdown();
    }

    /** What the role objects and the leader session may ask of this replica; called on the loop. */
    private final class Callbacks implements RoleHost, LeaderSession.Host {
        @Override
        public void onLoop(Runnable task) {
            PartitionReplica.this.onLoop(task);
        }

        @Override
        public boolean isStarted() {
            return started;
        }

        @Override
        public long commitIndex() {
            return commitIndex;
        }

        @Override
        public void advanceCommitTo(long index) {
            PartitionReplica.this.advanceCommitTo(index);
        }

        @Override
        public void raiseKnownEpoch(long epoch, String source) {
            PartitionReplica.this.raiseKnownEpoch(epoch, source);
        }

        @Override
        public void stateSeen(Versioned<PartitionState> seen) {
            PartitionReplica.this.stateSeen(seen);
        }

        @Override
        public void lead(Versioned<PartitionState> claimed) {
            PartitionReplica.this.lead(claimed);
        }

        @Override
        public void stop(String why, String advice) {
            failPartition(why, advice);
        }

        @Override
        public void logFailed(String why) {
            failPartition(why, DISK_ADVICE);
        }

        @Override
        public void stepDown(String reason) {
            leadership.stepDown(reason);
        }

        @Override
        public void handOver(String reason) {
            log.info("{} {}", tag, reason);
            handOver.yieldLeadership(Duration.ofSeconds(1), reason, new CompletableFuture<>());
        }

        @Override
        public void commitAdvanced(long index) {
            advanceCommitTo(index);
        }

        @Override
        public void higherEpochSeen(long epoch) {
            PartitionReplica.this.raiseKnownEpoch(epoch, "a follower's answer");
        }

        @Override
        public Map<String, MemberInfo> liveMembers() {
            return membership.live();
        }
    }

    /** Latch edges, moved onto the loop. */
    private final class ElectionEvents implements LeaderElection.Listener {
        @Override
        public void elected() {
            onLoop(() -> {
                if (roles.is(ReplicaRole.FOLLOWER) && connected && !closing && candidacy.mayClaim()) {
                    candidacy.start();
                }
            });
        }

        @Override
        public void notElected() {
            onLoop(() -> {
                roles.withdrawCandidacy();
                if (leadership.active()) leadership.stepDown("leader latch lost");
            });
        }
    }
}
