package io.understudy.sidecar.replication;

import io.understudy.sidecar.coordination.MemberInfo;
import io.understudy.sidecar.log.LogFailedException;
import io.understudy.sidecar.log.PartitionLog;
import io.understudy.sidecar.snapshot.SnapshotInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower's catch-up through the leader's snapshot (docs/design.md, "Snapshots and a bounded log"): when the
 * leader says it cannot send what this member needs next (an append answered SNAPSHOT_NEEDED), fetches the leader's
 * latest snapshot ({@code GET /peer/v1/snapshot}) off the partition loop, checks and stores it, then on the loop
 * resets the log to the snapshot's position and takes its index as committed. The leader's next append then matches.
 *
 * <p>Safe because a snapshot holds committed entries only, and this member's commit index never exceeds the
 * snapshot's index here (it would then match the leader at its base): no entry this member knows committed is lost.
 */
final class SnapshotCatchUp {
    private static final Logger log = LoggerFactory.getLogger(SnapshotCatchUp.class);
    /** After a failed fetch (the leader stores no snapshot yet, or the transfer broke), the next waits this long. */
    static final Duration RETRY_PAUSE = Duration.ofSeconds(2);

    private final String tag;
    private final int partition;
    private final PartitionLog partitionLog;
    private final ReplicaSnapshots snapshots;
    private final PeerClient peers;
    private final Supplier<Map<String, MemberInfo>> live;
    private final RoleHost host;
    private final BooleanSupplier following;
    private final Ticker ticker;
    // Confined to the loop.
    private boolean fetching;
    private long notBeforeNanos;

    SnapshotCatchUp(
            String tag,
            int partition,
            PartitionLog partitionLog,
            ReplicaSnapshots snapshots,
            PeerClient peers,
            Supplier<Map<String, MemberInfo>> live,
            RoleHost host,
            BooleanSupplier following,
            Ticker ticker) {
        this.ticker = ticker;
        this.notBeforeNanos = ticker.nanos();
        this.tag = tag;
        this.partition = partition;
        this.partitionLog = partitionLog;
        this.snapshots = snapshots;
        this.peers = peers;
        this.live = live;
        this.host = host;
        this.following = following;
    }

    /** On the loop: {@code leader} cannot send what this member needs next; fetch its snapshot unless under way. */
    void needed(String leader, long leaderBase) {
        if (fetching || ticker.nanos() - notBeforeNanos < 0) return;
        MemberInfo info = live.get().get(leader);
        if (info == null) {
            log.info("{} {} says to fetch its snapshot but is not alive in the membership view yet", tag, leader);
            return;
        }
        fetching = true;
        log.info(
                "{} this log (to {}) does not reach {}'s log base {}: fetching its snapshot",
                tag,
                partitionLog.logEnd(),
                leader,
                leaderBase);
        try {
            snapshots.fetching().execute(() -> fetch(leader, info.peerUrl()));
        } catch (RejectedExecutionException e) {
            fetching = false; // stopping
        }
    }

    private void fetch(String leader, String peerUrl) {
        try {
            SnapshotInfo fetched = peers.fetchSnapshot(peerUrl, partition, snapshots.store());
            host.onLoop(() -> install(fetched, leader));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            host.onLoop(() -> fetching = false);
        } catch (IOException | RuntimeException e) {
            log.warn("{} fetching the snapshot from {} failed, trying again in {}: {}", tag, leader, RETRY_PAUSE, e);
            host.onLoop(() -> {
                fetching = false;
                notBeforeNanos = ticker.nanos() + RETRY_PAUSE.toNanos();
            });
        }
    }

    /** On the loop: the log continues after the snapshot. */
    private void install(SnapshotInfo snapshot, String leader) {
        fetching = false;
        if (!following.getAsBoolean()) {
            log.info("{} not following any more: the snapshot at {} stays stored, the log unchanged", tag, snapshot);
            return;
        }
        if (snapshot.index() < host.commitIndex()) {
            log.error(
                    "{} the snapshot from {} at {} is below this member's commit index {}: not resetting the log",
                    tag,
                    leader,
                    snapshot.position(),
                    host.commitIndex());
            return;
        }
        try {
            if (partitionLog.epochAt(snapshot.index()) != snapshot.position().epoch()) {
                partitionLog.resetTo(snapshot.position());
            }
            log.info("{} installed {}'s snapshot at {}: the log continues after it", tag, leader, snapshot.position());
            host.advanceCommitTo(snapshot.index());
        } catch (LogFailedException e) {
            host.logFailed(e.getMessage());
        } catch (IOException | RuntimeException e) {
            log.warn("{} resetting the log to the snapshot at {} failed: {}", tag, snapshot.position(), e.toString());
        }
    }
}
