package io.understudy.sidecar.replication;

import io.understudy.sidecar.config.Durability;
import io.understudy.sidecar.coordination.IsrMember;
import io.understudy.sidecar.coordination.MemberInfo;
import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.coordination.PartitionStateStore;
import io.understudy.sidecar.coordination.Versioned;
import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.LogFailedException;
import io.understudy.sidecar.log.PartitionLog;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One term of leadership of one partition: takes writes (group commit: one append and one sync for every
 * write waiting), runs a {@link FollowerSender} per live member, counts commits, and keeps the ISR in
 * ZooKeeper (docs/design.md rules 5, 6 and 8). Confined to the partition's loop thread; senders report back
 * through that loop.
 */
final class LeaderSession {
    private static final Logger log = LoggerFactory.getLogger(LeaderSession.class);
    private static final String SUSPENDED = "ZooKeeper connection suspended";

    /** What the session needs from the replica that owns it. */
    interface Host {
        /** Runs on the partition loop. */
        void onLoop(Runnable task);

        void commitAdvanced(long commitIndex);

        void stepDown(String reason);

        /** The log failed for good: the replica stops (role FAILED), which closes this session. */
        void logFailed(String why);

        void higherEpochSeen(long epoch);

        Map<String, MemberInfo> liveMembers();

        /** Asks the replica to hand this leadership over (drain, step down, leave the latch). */
        void handOver(String reason);

        /** This session wrote an ISR change: {@code written} is the new state. */
        void isrChanged(PartitionState written, String why);

        /**
         * Starts a switchover of this leadership to {@code target} (which drains this session itself); false when
         * the host cannot, and a plain {@link #handOver} is made instead.
         */
        default boolean switchOver(String target, String reason) {
            return false;
        }

        /** Whether an operator removed {@code member} from the group (it is then left out of the live members). */
        default boolean removed(String member) {
            return false;
        }

        /** Whether the group is paused: no hand-over for balancing then. */
        default boolean balancingPaused() {
            return false;
        }
    }

    private record QueuedWrite(WriteRequest request, CompletableFuture<Ack> future) {}

    /** A write whose {@code Idempotency-Key} names an entry written before. */
    private record Retry(QueuedWrite write, IdempotencyWindow.Written original) {}

    private static final class Progress {
        String dataDirId;
        /** {@link Ticker} reading of the last answer that showed it caught up with the leader's log end. */
        long lastCaughtUpNanos;
        /** Its last answer said its replica has FAILED: out of the ISR, and not added back until it appends. */
        boolean failed;
    }

    private final int partition;
    private final String me;
    private final long epoch;
    private final long epochStartIndex;
    private final PartitionLog partitionLog;
    private final PeerClient peers;
    private final LeaderSettings settings;
    private final Clock clock;
    private final Ticker ticker;
    private final Host host;
    private final String tag;
    private final CommitTracker tracker;
    private final PendingAcks pending = new PendingAcks();
    private final IdempotencyWindow idempotencyWindow;
    private final Map<String, FollowerSender> senders = new HashMap<>();
    private final Map<String, Progress> progress = new HashMap<>();
    private List<QueuedWrite> queue = new ArrayList<>();
    private Versioned<PartitionState> state;
    private boolean flushScheduled;
    private final StateWriter stateWriter;
    private boolean suspended;
    private boolean draining;
    private final long ledSinceNanos;
    private boolean closed;
    /** The commit index as sender threads read it. */
    private volatile long publishedCommit;
    /** Each follower's match index as of its last answer, for metrics (read on other threads). */
    private final Map<String, Long> publishedMatches = new ConcurrentHashMap<>();

    LeaderSession(
            int partition,
            String me,
            Versioned<PartitionState> state,
            long commitIndex,
            PartitionLog partitionLog,
            PartitionStateStore store,
            PeerClient peers,
            LeaderSettings settings,
            Clock clock,
            Ticker ticker,
            Host host) {
        this.partition = partition;
        this.me = me;
        this.state = state;
        this.epoch = state.value().epoch();
        this.epochStartIndex = partitionLog.logEnd();
        this.partitionLog = partitionLog;
        this.peers = peers;
        this.settings = settings;
        this.clock = clock;
        this.ticker = ticker;
        this.host = host;
        this.tag = "[" + me + " p" + partition + " e" + epoch + "]";
        this.tracker = new CommitTracker(me, commitIndex);
        this.stateWriter = new StateWriter(partition, store, host::onLoop, new StateWritten(), tag);
        this.ledSinceNanos = ticker.nanos();
        tracker.leaderDurable(partitionLog.logEnd());
        this.publishedCommit = commitIndex;
        this.idempotencyWindow = IdempotencyWindowLoader.windowOf(partitionLog, settings.idempotency(), clock, tag);
    }

    long epoch() {
        return epoch;
    }

    void start() {
        maintain();
    }

    void submit(WriteRequest request, CompletableFuture<Ack> future) {
        if (suspended || draining) {
            String why = draining ? "leadership is being handed over (a graceful stop or leader balancing)" : SUSPENDED;
            future.completeExceptionally(new NotLeaderException(partition, me, why));
            return;
        }
        int inSync = state.value().isr().size();
        if (request.durability() == Durability.SYNC && inSync < settings.minInSync()) {
            future.completeExceptionally(new NotEnoughReplicasException(partition, inSync, settings.minInSync()));
            return;
        }
        queue.add(new QueuedWrite(request, future));
        if (!flushScheduled) {
            flushScheduled = true;
            host.onLoop(this::flush);
        }
    }

    /** Group commit: every write queued since the last flush goes to the log in one append and one sync. */
    private void flush() {
        flushScheduled = false;
        if (closed || queue.isEmpty()) return;
        List<QueuedWrite> queued = queue;
        queue = new ArrayList<>();
        if (suspended) {
            // Queued before the connection was suspended: a suspended leader acknowledges nothing, async included
            // (rule 3), so these are refused unwritten rather than held.
            NotLeaderException refused = new NotLeaderException(partition, me, SUSPENDED);
            queued.forEach(w -> w.future().completeExceptionally(refused));
            return;
        }
        List<QueuedWrite> batch = new ArrayList<>(queued.size());
        List<Retry> retries = new ArrayList<>();
        List<Entry> entries = new ArrayList<>(queued.size());
        long index = partitionLog.logEnd();
        long now = clock.millis();
        for (QueuedWrite write : queued) {
            WriteRequest r = write.request();
            IdempotencyWindow.Written original = idempotencyWindow.find(r.idempotency());
            if (original != null) { // answered below, not appended
                retries.add(new Retry(write, original));
                continue;
            }
            Entry entry =
                    new Entry(partition, epoch, ++index, now, r.key(), r.contentType(), r.payload(), r.idempotency());
            idempotencyWindow.record(entry);
            batch.add(write);
            entries.add(entry);
        }
        try {
            if (!entries.isEmpty()) partitionLog.append(entries);
            // Followers may fetch the entries while the local fsync runs: the two disk writes overlap. Only the
            // synced end counts towards commit.
            senders.values().forEach(FollowerSender::wake);
            partitionLog.sync();
        } catch (LogFailedException e) {
            // Followers may hold the batch already and commit it under the next leader: its outcome is unknown.
            // Back in the queue, the batch is answered so when the replica, already FAILED, closes this session.
            List<QueuedWrite> unanswered = new ArrayList<>(batch);
            retries.forEach(retry -> unanswered.add(retry.write()));
            unanswered.addAll(queue);
            queue = unanswered;
            host.logFailed(e.getMessage());
            return;
        } catch (IOException | RuntimeException e) {
            ReplicationException failure = new LogWriteFailedException(tag + " log write failed: " + e, e);
            batch.forEach(w -> w.future().completeExceptionally(failure));
            retries.forEach(retry -> retry.write().future().completeExceptionally(failure));
            host.stepDown("log write failed: " + e);
            return;
        }
        tracker.leaderDurable(partitionLog.logEnd());
        for (int i = 0; i < batch.size(); i++) {
            QueuedWrite write = batch.get(i);
            Ack ack = new Ack(partition, epoch, entries.get(i).index(), me);
            if (write.request().durability() == Durability.ASYNC) write.future().complete(ack);
            else pending.add(ack, write.future());
        }
        retries.forEach(this::answerRetry);
        advanceCommit();
        if (!retries.isEmpty()) settlePending(); // a retry of an entry committed already
    }

    /**
     * A write whose {@code Idempotency-Key} the window holds gets the original entry's position, at its own
     * durability: {@code async} at once (the entry is in this leader's synced log), {@code sync} once the entry
     * commits. The same key with another request is refused; nothing is appended either way.
     */
    private void answerRetry(Retry retry) {
        WriteRequest request = retry.write().request();
        CompletableFuture<Ack> future = retry.write().future();
        IdempotencyWindow.Written original = retry.original();
        if (!original.idempotency().sameRequest(request.idempotency())) {
            future.completeExceptionally(new IdempotencyMismatchException(
                    partition, request.idempotency().key(), original.index()));
            return;
        }
        Ack ack = new Ack(partition, original.epoch(), original.index(), me);
        log.debug(
                "{} retry with Idempotency-Key '{}' answered with entry {}",
                tag,
                original.idempotency().key(),
                ack);
        if (request.durability() == Durability.ASYNC) future.complete(ack);
        else pending.add(ack, future);
    }

    void appended(String member, AppendResponse response, boolean caughtUp) {
        if (closed) return;
        Progress p = progress.computeIfAbsent(member, m -> newProgress());
        p.dataDirId = response.dataDirId();
        p.failed = false;
        if (caughtUp) p.lastCaughtUpNanos = ticker.nanos();
        IsrMember entry = stateWriter.entryOf(state.value(), member).orElse(null);
        if (entry != null && !entry.dataDirId().equals(response.dataDirId())) {
            maintain();
            return;
        }
        tracker.matched(member, response.matchIndex());
        publishedMatches.put(member, tracker.match(member));
        advanceCommit();
        // Only a member outside the ISR can change it on an answer (by catching up); shrinking and balancing are
        // decided on the partition's tick and on membership changes, not on every answer of the hot path.
        if (entry == null) maintain();
    }

    /**
     * The member's replica has FAILED (its log failed): it is removed from the ISR now, through ZooKeeper first
     * (rule 6), rather than after {@code replicaLagMaxMs}, during which every {@code sync} write would wait for it.
     */
    void followerFailed(String member, AppendResponse response) {
        if (closed) return;
        Progress p = progress.computeIfAbsent(member, m -> newProgress());
        if (!p.failed) log.warn("{} {} answers that its log failed: {}", tag, member, response.message());
        p.failed = true;
        if (stateWriter.entryOf(state.value(), member).isPresent()) maintain();
    }

    private void advanceCommit() {
        // Maximal ISR (rule 6): a member a state write in flight adds counts already.
        if (!tracker.advance(stateWriter.maximalIsr(state.value()))) return;
        publishedCommit = tracker.commitIndex();
        host.commitAdvanced(tracker.commitIndex());
        if (!suspended) settlePending();
        senders.values().forEach(FollowerSender::wake);
    }

    /**
     * Answers the sync writes the commit index has passed (rule 8). They are acknowledged only when the ISR that
     * committed them has at least {@code minInSync} members; once the ISR has shrunk below that, commit means
     * "held by the leader alone" (or too few), so they fail with an unknown outcome instead.
     */
    private void settlePending() {
        int inSync = state.value().isr().size();
        if (inSync >= settings.minInSync()) {
            pending.completeThrough(tracker.commitIndex());
        } else {
            pending.failThrough(
                    tracker.commitIndex(),
                    ack -> new UnderReplicatedException(partition, ack.index(), inSync, settings.minInSync()));
        }
    }

    long commitIndex() {
        return tracker.commitIndex();
    }

    /** A read-only view of each follower's match index as of its last answer; safe to read on any thread. */
    Map<String, Long> followerMatches() {
        return Collections.unmodifiableMap(publishedMatches);
    }

    /** Keeps senders in line with the live members and the ISR in line with who keeps up (rule 6). */
    void maintain() {
        if (closed) return;
        Map<String, MemberInfo> live = host.liveMembers();
        reconcileSenders(live);
        if (suspended) return;
        if (stateWriter.busy()) {
            stateWriter.retry();
            return;
        }
        PartitionState current = state.value();
        List<String> remove = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (IsrMember entry : current.isr()) {
            String why = whyOutOfSync(entry, live.get(entry.member()));
            if (why != null) {
                remove.add(entry.member());
                reasons.add(entry.member() + ": " + why);
            }
        }
        if (!remove.isEmpty()) {
            writeState(current.withoutMembers(remove), "ISR shrinks " + reasons);
            return;
        }
        long needed = Math.max(tracker.commitIndex(), epochStartIndex);
        for (var candidate : progress.entrySet()) {
            String member = candidate.getKey();
            String dirId = candidate.getValue().dataDirId;
            MemberInfo info = live.get(member);
            // Only with the data dir its live znode names: right after a restart the znode of the previous process
            // may still name the old one, and growing with the answer's id would shrink again at once.
            if (dirId == null
                    || candidate.getValue().failed
                    || current.inIsr(member, dirId)
                    || info == null
                    || !dirId.equals(info.dataDirId())) continue;
            if (tracker.match(member) >= needed) {
                writeState(
                        current.withIsrMember(new IsrMember(member, dirId)),
                        "ISR grows: " + member + " matched " + tracker.match(member) + " >= " + needed);
                return;
            }
        }
        considerHandingOver(live);
    }

    /**
     * Leader balancing: each partition has a preferred leader, the live ISR members sorted by id taken round-robin
     * by partition number, so that partitions spread their leaders (and their write load) over the members. A
     * leader that is not the preferred one hands over once it has led for the balance delay and the preferred
     * member has been caught up within the last two heartbeats, by a switchover to exactly that member (no write
     * fails, and no other member may take the partition meanwhile), so leadership settles within one delay.
     */
    private void considerHandingOver(Map<String, MemberInfo> live) {
        if (settings.balanceDelay().isZero() || draining || suspended || host.balancingPaused()) return;
        if (!ticker.elapsed(ledSinceNanos, settings.balanceDelay())) return;
        List<String> candidates = state.value().isrMemberIds().stream()
                .filter(live::containsKey)
                .sorted()
                .toList();
        if (candidates.size() < 2) return;
        String preferred = candidates.get(partition % candidates.size());
        Progress p = progress.get(preferred);
        Duration recent = settings.sender().heartbeatInterval().multipliedBy(2);
        if (preferred.equals(me)
                || p == null
                || p.failed
                || ticker.since(p.lastCaughtUpNanos).compareTo(recent) > 0) return;
        String reason = "handing over to " + preferred + ", the preferred leader among " + candidates;
        if (host.switchOver(preferred, reason)) return;
        draining = true;
        host.handOver(reason);
    }

    private String whyOutOfSync(IsrMember entry, MemberInfo info) {
        if (entry.member().equals(me)) return null;
        if (info == null) return host.removed(entry.member()) ? "it was removed" : "its ZooKeeper session ended";
        if (!entry.dataDirId().equals(info.dataDirId())) return "it came back with another data directory";
        Progress p = progress.computeIfAbsent(entry.member(), m -> newProgress());
        if (p.dataDirId != null && !entry.dataDirId().equals(p.dataDirId)) {
            return "it answers with another data directory";
        }
        if (p.failed) return "its log failed";
        Duration behindFor = ticker.since(p.lastCaughtUpNanos);
        if (behindFor.compareTo(settings.replicaLagMax()) > 0) {
            return "not caught up for " + behindFor.toMillis() + " ms (replicaLagMaxMs "
                    + settings.replicaLagMax().toMillis() + ")";
        }
        return null;
    }

    private Progress newProgress() {
        Progress p = new Progress();
        p.lastCaughtUpNanos = ticker.nanos();
        return p;
    }

    private void writeState(PartitionState next, String why) {
        stateWriter.write(state, next, why);
    }

    /** A newer version of our own state znode (our own write, seen through the watch). */
    void stateSeen(Versioned<PartitionState> seen) {
        if (seen.version() > state.version() && seen.value().epoch() == epoch) state = seen;
    }

    private void reconcileSenders(Map<String, MemberInfo> live) {
        senders.entrySet().removeIf(e -> {
            MemberInfo info = live.get(e.getKey());
            boolean gone = info == null || !info.peerUrl().equals(e.getValue().peerUrl());
            if (gone) {
                e.getValue().close();
                publishedMatches.remove(e.getKey());
            }
            return gone;
        });
        for (MemberInfo info : live.values()) {
            if (info.id().equals(me) || senders.containsKey(info.id())) continue;
            FollowerSender sender = new FollowerSender(
                    info.id(),
                    info.peerUrl(),
                    partition,
                    epoch,
                    me,
                    partitionLog,
                    () -> publishedCommit,
                    peers,
                    settings.sender(),
                    new SenderCallback());
            senders.put(info.id(), sender);
            sender.start();
        }
    }

    int pendingWrites() {
        return pending.size() + queue.size();
    }

    /** Takes no new writes; those in flight still commit and are acknowledged (graceful hand-over). */
    void drain() {
        draining = true;
    }

    /** Takes writes again: a switchover that could not complete gives the partition back to this leader. */
    void undrain() {
        draining = false;
    }

    /** The partition's state as this leader last wrote or saw it in its epoch. */
    Versioned<PartitionState> state() {
        return state;
    }

    /**
     * Whether {@code member} holds this leader's whole log and everything is committed, with nothing waiting:
     * the moment a switchover may hand over (match index = log end = commit index, no state write in flight).
     */
    boolean handOverReady(String member) {
        long end = partitionLog.logEnd();
        return pendingWrites() == 0
                && !stateWriter.busy()
                && tracker.match(member) >= end
                && tracker.commitIndex() >= end;
    }

    void suspend() {
        suspended = true;
    }

    void resume() {
        suspended = false;
        settlePending();
        maintain();
    }

    void close(String reason) {
        if (closed) return;
        closed = true;
        stateWriter.close();
        senders.values().forEach(FollowerSender::close);
        senders.clear();
        publishedMatches.clear();
        LeadershipLostException lost = new LeadershipLostException(partition, epoch, reason);
        pending.failAll(lost);
        queue.forEach(w -> w.future().completeExceptionally(lost));
        queue.clear();
    }

    /** Outcomes of the ISR changes this session writes, on the partition loop. */
    private final class StateWritten implements StateWriter.Outcome {
        @Override
        public void written(Versioned<PartitionState> written, String why) {
            if (closed) return;
            if (written.version() > state.version()) state = written;
            log.info("{} {}: ISR now {}", tag, why, written.value().isrMemberIds());
            for (String member : progress.keySet()) {
                if (!written.value().hasIsrMember(member)) tracker.forget(member);
            }
            host.isrChanged(written.value(), why);
            advanceCommit();
            maintain();
        }

        @Override
        public void lost(String why) {
            if (!closed) host.stepDown("state write lost: " + why);
        }
    }

    /** Reports from sender threads, moved onto the partition loop. */
    private final class SenderCallback implements FollowerSender.Callback {
        @Override
        public void appended(String member, AppendResponse response, boolean caughtUp) {
            host.onLoop(() -> LeaderSession.this.appended(member, response, caughtUp));
        }

        @Override
        public void failed(String member, AppendResponse response) {
            host.onLoop(() -> LeaderSession.this.followerFailed(member, response));
        }

        @Override
        public void staleEpoch(String member, long higher) {
            host.onLoop(() -> {
                if (!closed) host.higherEpochSeen(higher);
            });
        }
    }
}
