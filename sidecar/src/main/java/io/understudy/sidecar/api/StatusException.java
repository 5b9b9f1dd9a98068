package io.understudy.sidecar.api;

/**
 * A failure that already knows its {@link ErrorCode} and outcome: a wait that ran out, a leader's answer to a
 * forwarded write (relayed with the leader's own code and outcome).
 */
public final class StatusException extends RuntimeException {
    private final ErrorCode code;
    private final Outcome outcome;

    public StatusException(ErrorCode code, Outcome outcome, String message) {
        super(message);
        this.code = code;
        this.outcome = outcome;
    }

    public StatusException(ErrorCode code, String message) {
        this(code, code.outcome(), message);
    }

    /** For callers that know only a status: the code is the first one with that status. */
    public StatusException(int status, String message) {
        this(ErrorCode.forStatus(status), message);
    }

    public ErrorCode code() {
        return code;
    }

    public Outcome outcome() {
        return outcome;
    }

    public int status() {
        return code.status();
    }
}
