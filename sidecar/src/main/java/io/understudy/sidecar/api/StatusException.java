package io.understudy.sidecar.api;

/** A failure that already knows its HTTP status: a leader's answer to a forwarded write, a wait that ran out. */
public final class StatusException extends RuntimeException {
    private final int status;

    public StatusException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
