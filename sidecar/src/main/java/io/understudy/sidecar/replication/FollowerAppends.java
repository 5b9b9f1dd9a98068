package io.understudy.sidecar.replication;

import io.understudy.sidecar.log.DurableLong;
import io.understudy.sidecar.log.LogFailedException;
import io.understudy.sidecar.log.PartitionLog;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follower side: takes a leader's append once its epoch passes (docs/design.md rule 3), hands the entries to
 * {@link FollowerAppender} (rule 4) and stops the replica when its log cannot take them. Runs on the partition loop.
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

    AppendResponse handle(AppendRequest request) {
        long known = knownEpoch.get();
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
            known = request.epoch();
        }
        if (!request.leader().equals(roles.leader())) roles.follow(request.leader());
        try {
            FollowerAppender.Outcome outcome = appender.append(request, known, replica.commitIndex());
            replica.advanceCommitTo(outcome.commitIndex());
            return outcome.response();
        } catch (CommittedEntryConflictException e) {
            replica.stop(e.getMessage(), CONFLICT_ADVICE);
            return refuse(AppendResponse.Result.UNAVAILABLE, known, e.getMessage());
        } catch (LogFailedException e) {
            replica.logFailed(e.getMessage());
            return refuse(AppendResponse.Result.UNAVAILABLE, known, stopped());
        } catch (IOException | RuntimeException e) {
            log.warn("{} append from {} failed: {}", tag, request.leader(), e.toString());
            return refuse(AppendResponse.Result.UNAVAILABLE, known, "append failed: " + e);
        }
    }

    private String stopped() {
        return "replica stopped: " + roles.failure();
    }

    private AppendResponse refuse(AppendResponse.Result result, long known, String why) {
        if (roles.is(ReplicaRole.FAILED)) result = AppendResponse.Result.FAILED; // for good: the leader drops it now
        return AppendResponse.refused(result, known, partitionLog.logEnd(), 0, dataDirId, why);
    }
}
