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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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

    /** Trimming runs every this many ticks (it lists the snapshot directory). */
    private static final int TRIM_EVERY_TICKS = 10;

    /** How long a switchover for leader balancing may take before the leader leads on and tries later. */
    private static final Duration BALANCING_SWITCHOVER_TIMEOUT = Duration.ofSeconds(5);

    private final int partition;
    private final String me;
    private final String dataDirId;
    private final PartitionLog partitionLog;
    private final DurableLong knownEpoch;
    private final GroupIncarnation incarnation;
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
    private final Switchover switchover;
    private final BooleanSupplier paused;
    private final String tag;
    private final LogTrimmer trimmer;
    private final SnapshotCatchUp catchUp;

    // Confined to the loop.
    private Versioned<PartitionState> state;
    /** Every member seen alive or in the ISR since this member started: a switchover's target must be one. */
    private final Set<String> knownMembers = new HashSet<>();

    private boolean connected = true;

    private ScheduledFuture<?> ticking;
    private boolean closing;
    private int ticksSinceTrim;

    // Published for other threads.
    private volatile PartitionState publishedState = PartitionState.INITIAL;
    private volatile long commitIndex;
    /** False until {@link #start()}: the member's view of the group is not loaded, so it serves no peer or write. */
    private volatile boolean started;

    private volatile boolean stateLoaded;

    /**
     * @param paused whether the group is paused (docs/design.md, "Pause"): no leader balancing, no unclean
     *     election
     * @param snapshots what bounds the log and lets this member catch up through the leader's snapshot ({@link
     *     ReplicaSnapshots#none()} for neither)
     */
    public PartitionReplica(
            int partition,
            String me,
            String dataDirId,
            PartitionLog partitionLog,
            DurableLong knownEpoch,
            DurableLong incarnation,
            long initialCommitIndex,
            PartitionStateStore store,
            Membership membership,
            Function<LeaderElection.Listener, LeaderElection> elections,
            PeerClient peers,
            ReplicaSettings settings,
            Clock clock,
            Ticker ticker,
            ReplicaListener listener,
            ScheduledExecutorService timer,
            BooleanSupplier paused,
            ReplicaSnapshots snapshots) {
        this.paused = paused;
        this.partition = partition;
        this.me = me;
        this.dataDirId = dataDirId;
        this.partitionLog = partitionLog;
        this.knownEpoch = knownEpoch;
        this.incarnation = new GroupIncarnation(incarnation, partitionLog::logEnd, knownEpoch::get);
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
        this.candidacy = new Candidacy(
                partition,
                me,
                dataDirId,
                knownEpoch,
                store,
                election,
                ticker,
                clock,
                membership,
                roles,
                callbacks,
                tag);
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
        this.switchover = new Switchover(partition, me, store, clock, ticker, timer, callbacks, tag);
        this.pendingWrites = new PendingWriteLimit(settings.leader().maxPendingWrites());
        this.forwards = new ForwardedWrites(partition, knownEpoch::get, timer);
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
        this.trimmer = new LogTrimmer(tag, partition, partitionLog, snapshots);
        this.catchUp = new SnapshotCatchUp(
                tag,
                partition,
                partitionLog,
                snapshots,
                peers,
                membership::live,
                callbacks,
                () -> roles.is(ReplicaRole.FOLLOWER),
                ticker);
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
        return writeAll(List.of(request)).get(0);
    }

    /**
     * Takes several client writes of this partition at once: they reach the leader's queue in one step, so they go
     * to the log in one append and one sync (the group commit). Answered each on its own, in the list's order;
     * each takes its own place in {@code replication.maxPendingWrites}.
     */
    public List<CompletableFuture<Ack>> writeAll(List<WriteRequest> requests) {
        List<CompletableFuture<Ack>> results = new ArrayList<>(requests.size());
        List<WriteRequest> taken = new ArrayList<>(requests.size());
        List<CompletableFuture<Ack>> takenResults = new ArrayList<>(requests.size());
        for (WriteRequest request : requests) {
            if (!pendingWrites.tryAcquire()) {
                results.add(CompletableFuture.failedFuture(overloaded()));
                continue;
            }
            CompletableFuture<Ack> result = new CompletableFuture<>();
            result.whenComplete((ack, error) -> pendingWrites.release());
            results.add(result);
            taken.add(request);
            takenResults.add(result);
        }
        if (!taken.isEmpty()) onLoop(() -> submitAll(taken, takenResults));
        return results;
    }

    private OverloadedException overloaded() {
        return new OverloadedException("partition " + partition + " holds " + pendingWrites.max()
                + " pending writes (replication.maxPendingWrites); retry shortly");
    }

    /** On the loop: hands writes to the leader session, or refuses them with the reason this member cannot lead. */
    private void submitAll(List<WriteRequest> requests, List<CompletableFuture<Ack>> results) {
        for (int i = 0; i < requests.size(); i++) {
            CompletableFuture<Ack> result = results.get(i);
            if (roles.is(ReplicaRole.LEADER)) leadership.session().submit(requests.get(i), result);
            else if (roles.is(ReplicaRole.FAILED))
                result.completeExceptionally(new PartitionFailedException(partition, roles.failure()));
            else
                result.completeExceptionally(
                        new NotLeaderException(partition, roles.leader(), "this member is " + roles.role()));
        }
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
        onLoop(() -> {
            knownMembers.addAll(membership.live().keySet());
            leadership.maintain();
        });
    }

    /**
     * Hands the leadership of this partition to {@code target} (see {@link Switchover}); fails with
     * {@link NotLeaderException} when this member does not lead it.
     */
    public CompletableFuture<SwitchoverResult> switchover(String target, Duration timeout) {
        CompletableFuture<SwitchoverResult> done = new CompletableFuture<>();
        onLoop(() -> {
            if (!roles.is(ReplicaRole.LEADER)) {
                done.completeExceptionally(
                        new NotLeaderException(partition, roles.leader(), "this member is " + roles.role()));
                return;
            }
            knownMembers.addAll(membership.live().keySet());
            switchover.start(target, timeout, done);
        });
        return done;
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

    /**
     * While this member leads: the index up to which each member it sends to has matched its log, as of that
     * member's last answer (members that have not answered yet are absent). Empty when it does not lead.
     */
    public Map<String, Long> followerMatches() {
        LeaderSession session = leadership.session();
        return session == null ? Map.of() : session.followerMatches();
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
        if (!ofThisMembersGroup(seen.value())) return;
        state = seen;
        PartitionState s = seen.value();
        publishedState = s;
        stateLoaded = true;
        roles.follow(s.leader());
        raiseKnownEpoch(s.epoch(), "state znode");
        knownMembers.addAll(s.isrMemberIds());
        leadership.stateSeen(seen);
        switchover.stateSeen(s);
        takeIsr(takeover::takeIfNew, "new partition: this member starts its ISR");
        reconcileLatch();
    }

    /** Refuses, loudly and for good, a partition state that ZooKeeper started afresh after forgetting the group. */
    private boolean ofThisMembersGroup(PartitionState seen) {
        try {
            if (incarnation.check(seen) != GroupIncarnation.Verdict.FORGOTTEN) return true;
            failPartition(incarnation.forgotten(seen), GroupIncarnation.ADVICE);
        } catch (IOException e) {
            failPartition("cannot record the group's incarnation in the data dir: " + e, DISK_ADVICE);
        }
        stateLoaded = true; // loaded and refused: the member answers FAILED, not STARTING
        return false;
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
        if (!paused.getAsBoolean()) takeIsr(takeover::considerUnclean, "unclean election: no ISR member alive");
        takeIsr(rebootRecovery::consider, "reboot recovery: every ISR member came back with a new data dir");
        trimPeriodically();
    }

    /** Trims the log below what is safe (a snapshot, or what every member applied), every few ticks. */
    private void trimPeriodically() {
        if (++ticksSinceTrim < TRIM_EVERY_TICKS || roles.is(ReplicaRole.FAILED)) return;
        ticksSinceTrim = 0;
        Set<String> members = new HashSet<>(knownMembers);
        if (state != null) members.addAll(state.value().isrMemberIds());
        Map<String, MemberInfo> live = membership.live();
        members.addAll(live.keySet());
        trimmer.trim(commitIndex, members, live);
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
        boolean inIsr = state.value().inIsr(me, dataDirId) && !membership.selfRemoved();
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
        listener.elected(partition, claimed.value());
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
    private void takeIsr(
            Function<Versioned<PartitionState>, CompletableFuture<Versioned<PartitionState>>> how, String why) {
        if (state == null || !roles.is(ReplicaRole.FOLLOWER) || !connected || closing || membership.selfRemoved())
            return;
        how.apply(state)
                .whenComplete((taken, error) -> onLoop(() -> {
                    if (taken == null) return;
                    listener.isrChanged(partition, taken.value(), why);
                    stateSeen(taken);
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
    private final class Callbacks implements RoleHost, LeaderSession.Host, Switchover.Host {
        @Override
        public LeaderSession session() {
            return leadership.session();
        }

        @Override
        public boolean switchOver(String target, String reason) {
            if (switchover.active()) return true;
            log.info("{} {}", tag, reason);
            CompletableFuture<SwitchoverResult> done = new CompletableFuture<>();
            done.whenComplete((moved, error) -> {
                if (error != null)
                    log.info("{} balancing switchover to {} did not complete: {}", tag, target, error.getMessage());
            });
            switchover.start(target, BALANCING_SWITCHOVER_TIMEOUT, done);
            return true;
        }

        @Override
        public boolean balancingPaused() {
            return paused.getAsBoolean();
        }

        @Override
        public Map<String, String> liveDataDirs() {
            Map<String, String> dirs = new HashMap<>();
            membership.live().forEach((id, info) -> dirs.put(id, info.dataDirId()));
            return dirs;
        }

        @Override
        public Set<String> knownMembers() {
            return Set.copyOf(knownMembers);
        }

        @Override
        public void onLoop(Runnable task) {
            PartitionReplica.this.onLoop(task);
        }

        @Override
        public boolean isStarted() {
            return started && state != null; // the group's state too: its incarnation decides whether to take part
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
        public void snapshotNeeded(String leader, long leaderBase) {
            catchUp.needed(leader, leaderBase);
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
        public void isrChanged(PartitionState written, String why) {
            listener.isrChanged(partition, written, why);
        }

        @Override
        public void higherEpochSeen(long epoch) {
            PartitionReplica.this.raiseKnownEpoch(epoch, "a follower's answer");
        }

        @Override
        public Map<String, MemberInfo> liveMembers() {
            return membership.live();
        }

        @Override
        public boolean removed(String member) {
            return membership.removed(member);
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
