package io.understudy.sidecar.replication;

/**
 * A leader asked this follower to truncate an entry the follower knows to be committed. That cannot happen
 * unless something is broken (docs/design.md rule 4): the replica stops rather than lose a committed entry.
 */
public final class CommittedEntryConflictException extends Exception {
    public CommittedEntryConflictException(String message) {
        super(message);
    }
}
