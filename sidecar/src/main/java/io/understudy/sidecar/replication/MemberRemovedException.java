package io.understudy.sidecar.replication;

/** A client write reached a member an operator removed from the group: it takes no writes until added back. */
public final class MemberRemovedException extends ReplicationException {
    public MemberRemovedException() {
        super("this member was removed from the group (remove-member): it takes no writes and gets no entries;"
                + " write through another member, or add it back with add-member");
    }
}
