package io.understudy.sidecar.replication;

/** A member removal (or adding back) refused or not finished; {@link #reason()} says which. */
public final class MemberRemovalException extends ReplicationException {
    private final MemberRemovalRefusal reason;

    public MemberRemovalException(String member, MemberRemovalRefusal reason, String why) {
        super("member " + member + ": " + why);
        this.reason = reason;
    }

    public MemberRemovalRefusal reason() {
        return reason;
    }
}
