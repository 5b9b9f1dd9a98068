package io.understudy.sidecar.replication;

/** A switchover refused, or ended without the target leading; {@link #reason()} says which way. */
public final class SwitchoverException extends ReplicationException {
    private final SwitchoverRefusal reason;

    public SwitchoverException(int partition, SwitchoverRefusal reason, String why) {
        super("switchover of partition " + partition + ": " + why);
        this.reason = reason;
    }

    public SwitchoverRefusal reason() {
        return reason;
    }
}
