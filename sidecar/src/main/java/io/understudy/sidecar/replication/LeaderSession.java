package io.understudy.sidecar.replication;

import io.understudy.sidecar.config.Durability;
import io.understudy.sidecar.coordination.IsrMember;
import io.understudy.sidecar.coordination.MemberInfo;
import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.coordination.PartitionStateStore;
import io.understudy.sidecar.coordination.StaleVersionException;
import io.understudy.sidecar.coordination.Versioned;
import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.PartitionLog;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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

    /** What the session needs from the replica that owns it. */
    interface Host {
        /** Runs on the partition loop. */
        void onLoop(Runnable task);

        void commitAdvanced(long commitIndex);

        void stepDown(String reason);

        void higherEpochSeen(long epoch);

        Map<String, MemberInfo> liveMembers();

        /** Asks the replica to hand this leadership over (drain, step down, leave the latch). */
        void handOver(String reason);
    }

    private record QueuedWrite(WriteRequest request, CompletableFuture<Ack> future) {}

    private static final class Progress {
        String dataDirId;
        long lastCaughtUpMillis;
    }

    private final int partition;
    private final String me;
    private final long epoch;
    private final long epochStartIndex;
    private final PartitionLog partitionLog;
    private final PartitionStateStore store;
    private final PeerClient peers;
    private final LeaderSettings settings;
    private final Clock clock;
    private final Host host;
    private final String tag;
    private final CommitTracker tracker;
    private final PendingAcks pending = new PendingAcks();
    private final Map<String, FollowerSender> senders = new HashMap<>();
    private final Map<String, Progress> progress = new HashMap<>();
    private List<QueuedWrite> queue = new ArrayList<>();
    private Versioned<PartitionState> state;
    private boolean flushScheduled;
    private boolean stateWriteInFlight;
    private boolean suspended;
    private boolean draining;
    private final long ledSinceMillis;
    private boolean closed;
    /** The commit index as sender threads read it. */
    private volatile long publishedCommit;

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
            Host host) {
        this.partition = partition;
        this.me = me;
        this.state = state;
        this.epoch = state.value().epoch();
        this.epochStartIndex = partitionLog.logEnd();
        this.partitionLog = partitionLog;
        this.store = store;
        this.peers = peers;
        this.settings = settings;
        this.clock = clock;
        this.host = host;
        this.tag = "[" + me + " p" + partition + " e" + epoch + "]";
        this.tracker = new CommitTracker(me, commitIndex);
        this.ledSinceMillis = clock.millis();
        tracker.leaderDurable(partitionLog.logEnd());
        this.publishedCommit = commitIndex;
    }

    long epoch() {
        return epoch;
    }

    void start() {
        maintain();
    }

    void submit(WriteRequest request, CompletableFuture<Ack> future) {
        if (suspended || draining) {
            String why = draining
                    ? "leadership is being handed over (a graceful stop or leader balancing)"
                    : "ZooKeeper connection suspended";
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
        List<QueuedWrite> batch = queue;
        queue = new ArrayList<>();
        List<Entry> entries = new ArrayList<>(batch.size());
        long index = partitionLog.logEnd();
        long now = clock.millis();
        for (QueuedWrite write : batch) {
            WriteRequest r = write.request();
            entries.add(new Entry(partition, epoch, ++index, now, r.key(), r.contentType(), r.payload()));
        }
        try {
            partitionLog.append(entries);
            // Followers may fetch the entries while the local fsync runs: the two disk writes overlap. Only the
            // synced end counts towards commit.
            senders.values().forEach(FollowerSender::wake);
            partitionLog.sync();
        } catch (IOException | RuntimeException e) {
            ReplicationException failure = new LogWriteFailedException(tag + " log write failed: " + e, e);
            batch.forEach(w -> w.future().completeExceptionally(failure));
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
        advanceCommit();
    }

    void appended(String member, AppendResponse response, boolean caughtUp) {
        if (closed) return;
        Progress p = progress.computeIfAbsent(member, m -> newProgress());
        p.dataDirId = response.dataDirId();
        if (caughtUp) p.lastCaughtUpMillis = clock.millis();
        IsrMember entry = state.value().isrEntryOf(member).orElse(null);
        if (entry != null && !entry.dataDirId().equals(response.dataDirId())) {
            maintain();
            return;
        }
        tracker.matched(member, response.matchIndex());
        advanceCommit();
        // Only a member outside the ISR can change it on an answer (by catching up); shrinking and balancing are
        // decided on the partition's tick and on membership changes, not on every answer of the hot path.
        if (entry == null) maintain();
    }

    private void advanceCommit() {
        if (!tracker.advance(state.value().isrMemberIds())) return;
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

    /** Keeps senders in line with the live members and the ISR in line with who keeps up (rule 6). */
    void maintain() {
        if (closed) return;
        Map<String, MemberInfo> live = host.liveMembers();
        reconcileSenders(live);
        if (suspended || stateWriteInFlight) return;
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
            if (dirId == null || current.inIsr(member, dirId) || !live.containsKey(member)) continue;
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
     * member has been caught up within the last two heartbeats. The next latch holder may not be the preferred
     * one either; it waits the delay in turn, so leadership settles within a few delays and never flaps faster.
     */
    private void considerHandingOver(Map<String, MemberInfo> live) {
        if (settings.balanceDelay().isZero() || draining || suspended) return;
        long now = clock.millis();
        if (now - ledSinceMillis < settings.balanceDelay().toMillis()) return;
        List<String> candidates = state.value().isrMemberIds().stream()
                .filter(live::containsKey)
                .sorted()
                .toList();
        if (candidates.size() < 2) return;
        String preferred = candidates.get(partition % candidates.size());
        Progress p = progress.get(preferred);
        long recent = 2 * settings.sender().heartbeatInterval().toMillis();
        if (preferred.equals(me) || p == null || now - p.lastCaughtUpMillis > recent) return;
        draining = true;
        host.handOver("handing over to " + preferred + ", the preferred leader among " + candidates);
    }

    private String whyOutOfSync(IsrMember entry, MemberInfo info) {
        if (entry.member().equals(me)) return null;
        if (info == null) return "its ZooKeeper session ended";
        if (!entry.dataDirId().equals(info.dataDirId())) return "it came back with another data directory";
        Progress p = progress.computeIfAbsent(entry.member(), m -> newProgress());
        if (p.dataDirId != null && !entry.dataDirId().equals(p.dataDirId)) {
            return "it answers with another data directory";
        }
        long behindFor = clock.millis() - p.lastCaughtUpMillis;
        if (behindFor > settings.replicaLagMax().toMillis()) {
            return "not caught up for " + behindFor + " ms (replicaLagMaxMs "
                    + settings.replicaLagMax().toMillis() + ")";
        }
        return null;
    }

    private Progress newProgress() {
        Progress p = new Progress();
        p.lastCaughtUpMillis = clock.millis();
        return p;
    }

    private void writeState(PartitionState next, String why) {
        stateWriteInFlight = true;
        store.compareAndSet(partition, next, state.version())
                .whenComplete((written, error) -> host.onLoop(() -> {
                    stateWriteInFlight = false;
                    if (closed) return;
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause()
                                : error;
                        if (cause instanceof StaleVersionException)
                            host.stepDown("state write lost: " + cause.getMessage());
                        else log.warn("{} state write failed, will retry: {}", tag, cause.toString());
                        return;
                    }
                    state = written;
                    log.info("{} {}: ISR now {}", tag, why, written.value().isrMemberIds());
                    for (String member : progress.keySet()) {
                        if (!written.value().hasIsrMember(member)) tracker.forget(member);
                    }
                    advanceCommit();
                    maintain();
                }));
    }

    /** A newer version of our own state znode (our own write, seen through the watch). */
    void stateSeen(Versioned<PartitionState> seen) {
        if (seen.version() > state.version() && seen.value().epoch() == epoch) state = seen;
    }

    private void reconcileSenders(Map<String, MemberInfo> live) {
        senders.entrySet().removeIf(e -> {
            MemberInfo info = live.get(e.getKey());
            boolean gone = info == null || !info.peerUrl().equals(e.getValue().peerUrl());
            if (gone) e.getValue().close();
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
        senders.values().forEach(FollowerSender::close);
        senders.clear();
        LeadershipLostException lost = new LeadershipLostException(partition, epoch, reason);
        pending.failAll(lost);
        queue.forEach(w -> w.future().completeExceptionally(lost));
        queue.clear();
    }

    /** Reports from sender threads, moved onto the partition loop. */
    private final class SenderCallback implements FollowerSender.Callback {
        @Override
        public void appended(String member, AppendResponse response, boolean caughtUp) {
            host.onLoop(() -> LeaderSession.this.appended(member, response, caughtUp));
        }

        @Override
        public void staleEpoch(String member, long higher) {
            host.onLoop(() -> {
                if (!closed) host.higherEpochSeen(higher);
            });
        }
    }
}
