package io.understudy.sidecar.replication;

/**
 * A follower's answer to an {@link AppendRequest}.
 *
 * @param result the outcome
 * @param epoch the highest epoch the follower knows
 * @param logEnd the follower's log end after the request
 * @param matchIndex on APPENDED, the highest index known to match the leader's log ({@code prevIndex} plus
 *     the entries sent)
 * @param nextIndexHint on MISMATCH, where the leader should resend from
 * @param dataDirId the follower's data directory id (a changed one means a new replica)
 * @param message a person-readable reason for anything but APPENDED
 */
public record AppendResponse(
        Result result, long epoch, long logEnd, long matchIndex, long nextIndexHint, String dataDirId, String message) {

    public enum Result {
        /** The entries are durable on the follower. */
        APPENDED,
        /** The request's epoch is below one the follower knows: the sender is no longer leader. */
        STALE_EPOCH,
        /** The follower's log does not hold {@code (prevIndex, prevEpoch)}: resend from the hint. */
        MISMATCH,
        /**
         * The follower does not match the leader at or below the leader's log base (the leader no longer holds what
         * it would need next): it is fetching the leader's snapshot ({@code GET /peer/v1/snapshot}) and will match
         * the base once it installed it. The leader asks again at the heartbeat pace. Only sent in answer to a
         * request that carries a base, which no leader older than this value sends.
         */
        SNAPSHOT_NEEDED,
        /** The follower cannot take appends now (starting, electing itself, or an append failed): try again. */
        UNAVAILABLE,
        /**
         * The follower's replica of this partition has stopped for good (role FAILED: its log failed, or it found
         * a bug): it will not take appends before a restart, so the leader drops it from the ISR at once. A leader
         * older than this value cannot read it and treats the answer as a failed request, as it would UNAVAILABLE.
         */
        FAILED
    }

    public static AppendResponse appended(long epoch, long logEnd, long matchIndex, String dataDirId) {
        return new AppendResponse(Result.APPENDED, epoch, logEnd, matchIndex, 0, dataDirId, "");
    }

    public static AppendResponse refused(
            Result result, long epoch, long logEnd, long hint, String dataDirId, String message) {
        return new AppendResponse(result, epoch, logEnd, 0, hint, dataDirId, message);
    }
}
