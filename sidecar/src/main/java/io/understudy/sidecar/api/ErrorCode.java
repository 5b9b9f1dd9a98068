package io.understudy.sidecar.api;

/**
 * The stable {@code code} of every error answer, with its HTTP status, the outcome it implies unless the failure
 * says otherwise, and whether the answer carries {@code Retry-After}. Clients match on these names, never on the
 * message: a name, once published, keeps its meaning. The README's error table is {@link #markdownTable()}.
 */
public enum ErrorCode {
    BAD_REQUEST(400, Outcome.REJECTED, "a parameter or the body is malformed; the message names it"),
    UNAUTHORIZED(401, Outcome.REJECTED, "a peer request without the group's `peer.token`"),
    UNKNOWN_PARTITION(404, Outcome.REJECTED, "`partition` names a partition the group does not have"),
    NOT_FOUND(404, Outcome.REJECTED, "no such endpoint"),
    UNKNOWN_MEMBER(
            404,
            Outcome.REJECTED,
            "`POST /v1/switchover`: `to`, or `/v1/members/remove` and `add`: `member`, names no member this group"
                    + " has (alive, in an ISR, seen since the member asked started, or removed)"),
    NO_SNAPSHOT(404, Outcome.REJECTED, "`GET /peer/v1/snapshot`: this member stores no snapshot of the partition"),
    METHOD_NOT_ALLOWED(405, Outcome.REJECTED, "the endpoint exists, not with this method"),
    ENTRY_LOST(
            409,
            Outcome.REJECTED,
            "`/v1/wait?epoch=E`: the index now holds an entry of another epoch, so the async write acknowledged in"
                    + " epoch E was lost"),
    TARGET_IS_LEADER(409, Outcome.REJECTED, "`POST /v1/switchover`: `to` already leads the partition"),
    TARGET_NOT_ALIVE(
            409,
            Outcome.REJECTED,
            "`POST /v1/switchover`: `to` has no ZooKeeper session; start it and wait until it is in the ISR"),
    TARGET_NOT_IN_SYNC(
            409,
            Outcome.REJECTED,
            "`POST /v1/switchover`: `to` is alive but not in the partition's ISR; wait until it has caught up"),
    SWITCHOVER_IN_PROGRESS(
            409, Outcome.REJECTED, "`POST /v1/switchover`: another switchover of the partition is under way"),
    SWITCHOVER_INTERRUPTED(
            409,
            Outcome.UNKNOWN,
            "`POST /v1/switchover`: leadership or the partition's state changed under it (another member claimed,"
                    + " the leader lost its term); check `/v1/status`"),
    REMOVAL_BELOW_MIN_IN_SYNC(
            409,
            Outcome.REJECTED,
            "`POST /v1/members/remove`: without the member a partition's ISR would be smaller than"
                    + " `replication.minInSync` (or the member leads a partition no other live member is in sync"
                    + " for); add a member and wait until it is in the ISR first"),
    BACKUP_SOURCE_MOVED(
            409,
            Outcome.REJECTED,
            "`GET /v1/backup/snapshot` or `/v1/backup/records`: the member no longer holds that snapshot or those"
                    + " entries (a newer snapshot, a trimmed log); take the backup again"),
    TOO_LARGE(413, Outcome.REJECTED, "the body is over `api.maxBodyBytes`"),
    IDEMPOTENCY_MISMATCH(
            422, Outcome.REJECTED, "an `Idempotency-Key` reused with a different body; the first write stands"),
    OVERLOADED(
            429,
            Outcome.REJECTED,
            "too many writes pending on the partition (`replication.maxPendingWrites`) or too many request bodies in"
                    + " memory; retry after the delay"),
    INTERNAL(500, Outcome.UNKNOWN, "a bug; the message and the member's log say more"),
    NO_LEADER(503, Outcome.REJECTED, "the partition has no leader yet (an election takes a few seconds)"),
    NOT_LEADER(
            503,
            Outcome.REJECTED,
            "the leader this member knows is not alive or not reachable, or is handing leadership over"),
    NOT_ENOUGH_REPLICAS(
            503,
            Outcome.REJECTED,
            "a `sync` write while the ISR is smaller than `replication.minInSync` (`async` writes are taken)"),
    MEMBER_REMOVED(
            503,
            Outcome.REJECTED,
            "a write to a member an operator removed from the group (`remove-member`): write through another member,"
                    + " or add it back (`add-member`)"),
    STARTING(503, Outcome.REJECTED, "the member has not loaded membership and partition state yet"),
    LEADER_UNREACHABLE(
            503, Outcome.REJECTED, "the leader refused the forwarded write's connection, or refused the peer token"),
    PARTITION_FAILED(
            503,
            Outcome.REJECTED,
            "the partition's log failed on this member (a disk error); outcome `unknown` when it failed while"
                    + " writing this entry"),
    OUTCOME_UNKNOWN(
            503,
            Outcome.UNKNOWN,
            "leadership was lost, the ISR fell below `minInSync` after the append, or a forward broke midway: the"
                    + " write may or may not survive"),
    SWITCHOVER_TIMEOUT(
            504,
            Outcome.UNKNOWN,
            "`POST /v1/switchover`: the target did not catch up (the old leader leads on) or did not take over in"
                    + " `timeoutMs`; check `/v1/status`"),
    REMOVAL_TIMEOUT(
            504,
            Outcome.UNKNOWN,
            "`POST /v1/members/remove`: the member is marked removed but a partition still counted it (in its ISR"
                    + " or as leader) at `timeoutMs`; check `/v1/status`, or run the command again"),
    TIMEOUT(
            504,
            Outcome.UNKNOWN,
            "a forwarded write or a `/v1/wait` ran out of time (outcome `rejected` for a wait, which writes"
                    + " nothing)");

    /** Seconds a client should wait before retrying a 429 or 503. */
    public static final int RETRY_AFTER_SECONDS = 1;

    private final int status;
    private final Outcome outcome;
    private final String meaning;

    ErrorCode(int status, Outcome outcome, String meaning) {
        this.status = status;
        this.outcome = outcome;
        this.meaning = meaning;
    }

    public int status() {
        return status;
    }

    /** The outcome this code implies when the failure does not say otherwise. */
    public Outcome outcome() {
        return outcome;
    }

    /** 429 and 503 answers carry {@code Retry-After}: the condition is expected to pass. */
    public boolean retryAfter() {
        return status == 429 || status == 503;
    }

    /**
     * The first code with this status, for answers that carry none (a member of an older version): a bare 503
     * may mean anything, so it is read as {@link #OUTCOME_UNKNOWN}, never as a rejection.
     */
    public static ErrorCode forStatus(int status) {
        if (status == 503) return OUTCOME_UNKNOWN;
        for (ErrorCode code : values()) {
            if (code.status == status) return code;
        }
        return INTERNAL;
    }

    /** The code named {@code name}, or null when this version does not know it. */
    public static ErrorCode byName(String name) {
        for (ErrorCode code : values()) {
            if (code.name().equals(name)) return code;
        }
        return null;
    }

    /** The README's table of every code. */
    public static String markdownTable() {
        StringBuilder table = new StringBuilder("| code | status | outcome | Retry-After | meaning |\n");
        table.append("| --- | --- | --- | --- | --- |\n");
        for (ErrorCode code : values()) {
            table.append("| `")
                    .append(code.name())
                    .append("` | ")
                    .append(code.status)
                    .append(" | `")
                    .append(code.outcome.wireName())
                    .append("` | ")
                    .append(code.retryAfter() ? "yes" : "no")
                    .append(" | ")
                    .append(code.meaning)
                    .append(" |\n");
        }
        return table.toString();
    }
}
