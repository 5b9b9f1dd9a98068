package io.understudy.sidecar.replication;

import io.understudy.sidecar.coordination.LeaderElection;
import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.coordination.PartitionStateStore;
import io.understudy.sidecar.coordination.Versioned;
import io.understudy.sidecar.log.DurableLong;
import io.understudy.sidecar.log.PartitionLog;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader role's life on this replica: it begins with a won claim, acknowledges nothing while the ZooKeeper
 * connection is suspended, resumes after a reconnect only if its latch and epoch are still current (docs/design.md
 * rule 3), and ends with a step-down. Holds the current {@link LeaderSession}; runs on the partition loop.
 */
final class Leadership {
    private static final Logger log = LoggerFactory.getLogger(Leadership.class);

    private final int partition;
    private final String me;
    private final PartitionLog partitionLog;
    private final DurableLong knownEpoch;
    private final PartitionStateStore store;
    private final LeaderElection election;
    private final RoleSwitch roles;
    private final ReplicaListener listener;
    private final RoleHost replica;
    /** Builds the session that leads a won claim. */
    private final Function<Versioned<PartitionState>, LeaderSession> sessions;

    private final String tag;

    /** Written on the loop; volatile so that metrics may read the session's published follower matches. */
    private volatile LeaderSession session;

    Leadership(
            int partition,
            String me,
            PartitionLog partitionLog,
            DurableLong knownEpoch,
            PartitionStateStore store,
            LeaderElection election,
            RoleSwitch roles,
            ReplicaListener listener,
            RoleHost replica,
            Function<Versioned<PartitionState>, LeaderSession> sessions,
            String tag) {
        this.partition = partition;
        this.me = me;
        this.partitionLog = partitionLog;
        this.knownEpoch = knownEpoch;
        this.store = store;
        this.election = election;
        this.roles = roles;
        this.listener = listener;
        this.replica = replica;
        this.sessions = sessions;
        this.tag = tag;
    }

    /** The session leading now, or null. */
    LeaderSession session() {
        return session;
    }

    /** Whether this replica leads now. */
    boolean active() {
        return session != null;
    }

    /** {@link LeaderSession#maintain} for the session leading now, if any. */
    void maintain() {
        if (session != null) session.maintain();
    }

    /** Leads the epoch of {@code claimed}; while not {@code connected}, acknowledges nothing until RECONNECTED. */
    void begin(Versioned<PartitionState> claimed, boolean connected) {
        session = sessions.apply(claimed);
        // Claimed while the connection is suspended: lead, but acknowledge nothing until RECONNECTED has verified
        // the latch and the epoch (rule 3).
        if (!connected) session.suspend();
        roles.switchTo(ReplicaRole.LEADER);
        log.info(
                "{} became leader of epoch {}{} (log end {}, commit {}, ISR {})",
                tag,
                claimed.value().epoch(),
                connected ? "" : ", suspended until the ZooKeeper connection is back",
                partitionLog.logEnd(),
                replica.commitIndex(),
                claimed.value().isrMemberIds());
        listener.roleChanged(partition, ReplicaRole.LEADER, claimed.value().epoch(), me);
        session.start();
    }

    /** A newer state: steps down unless it still names this member in the session's epoch. */
    void stateSeen(Versioned<PartitionState> seen) {
        if (session == null) return;
        PartitionState s = seen.value();
        if (s.epoch() != session.epoch() || !me.equals(s.leader())) {
            stepDown("state now names " + s.leader() + " in epoch " + s.epoch());
        } else {
            session.stateSeen(seen);
        }
    }

    /** A higher epoch than the one led was seen in {@code source}: steps down. */
    void epochSeen(long epoch, String source) {
        if (session != null && epoch > session.epoch()) stepDown("epoch " + epoch + " seen in " + source);
    }

    void stepDown(String reason) {
        if (session != null) {
            long epoch = session.epoch();
            session.close(reason);
            session = null;
            log.warn("{} stepped down from epoch {}: {}", tag, epoch, reason);
        }
        if (!roles.is(ReplicaRole.FAILED)) roles.switchTo(ReplicaRole.FOLLOWER);
        if (election.holdsLatch()) election.leave();
        listener.roleChanged(partition, roles.role(), knownEpoch.get(), roles.leader());
    }

    /** The ZooKeeper connection is suspended: acknowledge nothing until it is back. */
    void suspend() {
        if (session == null) return;
        session.suspend();
        log.warn("{} ZooKeeper connection suspended: acknowledging nothing until it is back", tag);
    }

    /** Rule 3: after a reconnect, resume only if our latch node and our epoch are still current. */
    void verifyAfterReconnect() {
        if (session == null) return;
        long epoch = session.epoch();
        store.read(partition)
                .whenComplete((seen, error) -> replica.onLoop(() -> {
                    if (session == null || session.epoch() != epoch) return;
                    if (error != null) {
                        stepDown("cannot re-read state after reconnecting: " + CompletionCause.of(error));
                        return;
                    }
                    replica.stateSeen(seen);
                    if (session == null) return;
                    if (election.holdsLatch()
                            && seen.value().epoch() == epoch
                            && me.equals(seen.value().leader())) {
                        log.info("{} reconnected, still leader of epoch {}: resuming", tag, epoch);
                        session.resume();
                    } else {
                        stepDown("leadership not current after reconnecting");
                    }
                }));
    }
}
