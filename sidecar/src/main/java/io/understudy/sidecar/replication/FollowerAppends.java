package io.understudy.sidecar.replication;

import io.understudy.sidecar.log.DurableLong;
import io.understudy.sidecar.log.LogFailedException;
import io.understudy.sidecar.log.PartitionLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follower side: takes a leader's append once its epoch passes (docs/design.md rule 3), hands the entries to
 * {@link FollowerAppender} (rule 4), answers after one sync per group of appends, and stops the replica when its log
 * cannot take them. Runs on the partition loop.
 */
final class FollowerAppends {
    private static final Logger log = LoggerFactory.getLogger(FollowerAppends.class);
    private static final String CONFLICT_ADVICE = "This is a bug or a damaged disk. Keep its data dir for analysis,"
            + " then restart it with an empty data dir.";

    private final String dataDirId;
    private final PartitionLog partitionLog;
    private final DurableLong knownEpoch;
    private final FollowerAppender appender;
    private final RoleSwitch roles;
    private final RoleHost replica;
    private final String tag;
    /** Appends accepted but not yet covered by a sync, with the commit index and epoch they carry. */
    private final List<Unsynced> unsynced = new ArrayList<>();

    private long unsyncedCommit;
    private long unsyncedEpoch;

    /** An accepted append's answer, sent once a sync covers it. */
    private record Unsynced(AppendResponse response, long known, CompletableFuture<AppendResponse> answer) {}

    FollowerAppends(
            int partition,
            String dataDirId,
            PartitionLog partitionLog,
            DurableLong knownEpoch,
            RoleSwitch roles,
            RoleHost replica,
            String tag) {
        this.dataDirId = dataDirId;
        this.partitionLog = partitionLog;
        this.knownEpoch = knownEpoch;
        this.appender = new FollowerAppender(partition, partitionLog, dataDirId);
        this.roles = roles;
        this.replica = replica;
        this.tag = tag;
    }

    /**
     * Handles one append and completes {@code answer}: a refusal at once; an accepted append once a sync covers it.
     * That sync runs in a task posted behind the appends already waiting on the loop, so batches a pipelining leader
     * sent together share one fsync (group commit). A group never spans two epochs: a request of another epoch
     * first syncs and answers the group (within one epoch a leader's log only grows, so no later append of the
     * group can truncate what an earlier answer covers).
     */
    void handle(AppendRequest request, CompletableFuture<AppendResponse> answer) {
        if (!unsynced.isEmpty() && request.epoch() != unsyncedEpoch) syncAndAnswer();
        long known = knownEpoch.get();
        AppendResponse refused = refusal(request, known);
        if (refused != null) {
            answer.complete(refused);
            return;
        }
        known = knownEpoch.get();
        try {
            long commit = Math.max(replica.commitIndex(), unsyncedCommit);
            FollowerAppender.Outcome outcome = appender.appendUnsynced(request, known, commit);
            if (outcome.response().result() != AppendResponse.Result.APPENDED) {
                if (outcome.response().result() == AppendResponse.Result.SNAPSHOT_NEEDED) {
                    replica.snapshotNeeded(request.leader(), request.baseIndex());
                }
                answer.complete(outcome.response());
                return;
            }
            unsynced.add(new Unsynced(outcome.response(), known, answer));
            unsyncedCommit = Math.max(unsyncedCommit, outcome.commitIndex());
            unsyncedEpoch = request.epoch();
            if (unsynced.size() == 1) replica.onLoop(this::syncAndAnswer);
        } catch (CommittedEntryConflictException e) {
            replica.stop(e.getMessage(), CONFLICT_ADVICE);
            answer.complete(refuse(AppendResponse.Result.UNAVAILABLE, known, e.getMessage()));
        } catch (LogFailedException e) {
            replica.logFailed(e.getMessage());
            answer.complete(refuse(AppendResponse.Result.UNAVAILABLE, known, stopped()));
        } catch (IOException | RuntimeException e) {
            log.warn("{} append from {} failed: {}", tag, request.leader(), e.toString());
            answer.complete(refuse(AppendResponse.Result.UNAVAILABLE, known, "append failed: " + e));
        }
    }

    /** The epoch and role checks (rule 3); null when the append may go on. Raises the known epoch on a newer one. */
    private AppendResponse refusal(AppendRequest request, long known) {
        if (roles.is(ReplicaRole.FAILED)) return refuse(AppendResponse.Result.UNAVAILABLE, known, stopped());
        if (!replica.isStarted()) {
            return refuse(
                    AppendResponse.Result.UNAVAILABLE, known, "starting: membership or partition state not loaded yet");
        }
        if (request.epoch() < known) {
            return refuse(
                    AppendResponse.Result.STALE_EPOCH,
                    known,
                    "epoch " + request.epoch() + " is stale: this member knows epoch " + known);
        }
        if (request.epoch() == known && !roles.is(ReplicaRole.FOLLOWER)) {
            return refuse(
                    AppendResponse.Result.UNAVAILABLE, known, "this member is " + roles.role() + " in epoch " + known);
        }
        if (request.epoch() > known) {
            replica.raiseKnownEpoch(request.epoch(), "append from " + request.leader());
            if (roles.is(ReplicaRole.FAILED)) return refuse(AppendResponse.Result.UNAVAILABLE, known, stopped());
            roles.withdrawCandidacy();
        }
        if (!request.leader().equals(roles.leader())) roles.follow(request.leader());
        return null;
    }

    /** One sync for every append accepted since the last one, then their answers; a failed sync fails them all. */
    private void syncAndAnswer() {
        if (unsynced.isEmpty()) return;
        List<Unsynced> group = new ArrayList<>(unsynced);
        long commit = unsyncedCommit;
        unsynced.clear();
        unsyncedCommit = 0;
        try {
            partitionLog.sync();
        } catch (LogFailedException e) {
            replica.logFailed(e.getMessage());
            group.forEach(u -> u.answer().complete(refuse(AppendResponse.Result.UNAVAILABLE, u.known(), stopped())));
            return;
        } catch (IOException | RuntimeException e) {
            log.warn("{} sync of {} appends failed: {}", tag, group.size(), e.toString());
            group.forEach(u ->
                    u.answer().complete(refuse(AppendResponse.Result.UNAVAILABLE, u.known(), "append failed: " + e)));
            return;
        }
        replica.advanceCommitTo(commit);
        group.forEach(u -> u.answer().complete(u.response()));
    }

    private String stopped() {
        return "replica stopped: " + roles.failure();
    }

    private AppendResponse refuse(AppendResponse.Result result, long known, String why) {
        if (roles.is(ReplicaRole.FAILED)) result = AppendResponse.Result.FAILED; // for good: the leader drops it now
        return AppendResponse.refused(result, known, partitionLog.logEnd(), 0, dataDirId, why);
    }
}
