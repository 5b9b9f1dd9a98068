package io.understudy.sidecar.replication;

import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.PartitionLog;
import java.io.IOException;
import java.util.List;

/**
 * The follower's half of log matching (docs/design.md rule 4): checks {@code (prevIndex, prevEpoch)}, skips entries
 * it already holds, truncates a conflicting uncommitted suffix and appends the rest durably. It answers
 * APPENDED only after a sync, so no answer covers an entry that was never made durable. The caller has
 * already checked the request's epoch.
 */
final class FollowerAppender {
    /** What an accepted append changed: the verified match index and the commit index it may now use. */
    record Outcome(AppendResponse response, long commitIndex) {}

    private final int partition;
    private final PartitionLog log;
    private final String dataDirId;

    FollowerAppender(int partition, PartitionLog log, String dataDirId) {
        this.partition = partition;
        this.log = log;
        this.dataDirId = dataDirId;
    }

    /** {@link #appendUnsynced} followed by the sync that makes an APPENDED answer true. */
    Outcome append(AppendRequest request, long knownEpoch, long commitIndex)
            throws IOException, CommittedEntryConflictException {
        Outcome outcome = appendUnsynced(request, knownEpoch, commitIndex);
        if (outcome.response().result() == AppendResponse.Result.APPENDED) log.sync();
        return outcome;
    }

    /**
     * Checks and appends without the sync: an APPENDED outcome may be sent only after a later {@link
     * PartitionLog#sync()} returns (the caller shares one sync among several requests: group commit).
     */
    Outcome appendUnsynced(AppendRequest request, long knownEpoch, long commitIndex)
            throws IOException, CommittedEntryConflictException {
        long prevIndex = request.prevIndex();
        long held = log.epochAt(prevIndex);
        // Below this log's base everything is committed (a snapshot covers it), so it matches the leader's log.
        boolean trimmedHere = held == PartitionLog.TRIMMED;
        if (held != request.prevEpoch() && !trimmedHere) {
            if (prevIndex <= request.baseIndex()) {
                // The leader cannot send anything earlier: this member needs its snapshot (docs/design.md,
                // "Snapshots and a bounded log").
                String why = "no match at the leader's log base " + request.baseIndex() + " (log ends at "
                        + log.logEnd() + "): fetching the leader's snapshot";
                return new Outcome(
                        AppendResponse.refused(
                                AppendResponse.Result.SNAPSHOT_NEEDED, knownEpoch, log.logEnd(), 0, dataDirId, why),
                        commitIndex);
            }
            long hint = held < 0 ? log.logEnd() + 1 : Math.max(1, Math.min(prevIndex, commitIndex + 1));
            String why = held < 0
                    ? "log ends at " + log.logEnd() + ", before " + prevIndex
                    : "index " + prevIndex + " holds epoch " + held + ", not " + request.prevEpoch();
            AppendResponse refused = AppendResponse.refused(
                    AppendResponse.Result.MISMATCH, knownEpoch, log.logEnd(), hint, dataDirId, why);
            return new Outcome(refused, commitIndex);
        }
        List<Entry> fresh = skipHeld(request.entries(), commitIndex);
        if (!fresh.isEmpty()) log.append(fresh);
        // The caller syncs before answering, also for a resend or a heartbeat that adds nothing: what the log holds
        // may have been written by a request whose sync failed, and APPENDED promises it is durable. A sync with
        // nothing new to force is free; one on a failed log throws.
        long matchIndex = prevIndex + request.size();
        long newCommit = Math.max(commitIndex, Math.min(request.commitIndex(), matchIndex));
        return new Outcome(AppendResponse.appended(knownEpoch, log.logEnd(), matchIndex, dataDirId), newCommit);
    }

    /** Drops entries the log already holds; truncates at the first conflict (never a committed entry). */
    private List<Entry> skipHeld(List<Entry> entries, long commitIndex)
            throws IOException, CommittedEntryConflictException {
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            if (entry.partition() != partition) {
                throw new IllegalArgumentException(
                        "entry for partition " + entry.partition() + " sent to " + partition);
            }
            long held = log.epochAt(entry.index());
            if (held == entry.epoch() || held == PartitionLog.TRIMMED) continue; // trimmed here: committed, the same
            if (held >= 0) {
                if (entry.index() <= commitIndex) {
                    throw new CommittedEntryConflictException("partition " + partition + ": leader sent epoch "
                            + entry.epoch() + " at index " + entry.index() + " but this member holds epoch " + held
                            + " there and knows it committed (commit index " + commitIndex + ")");
                }
                log.truncateAfter(entry.index() - 1);
            }
            return entries.subList(i, entries.size());
        }
        return List.of();
    }
}
