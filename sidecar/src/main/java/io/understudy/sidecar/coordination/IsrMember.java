package io.understudy.sidecar.coordination;

import java.util.Objects;

/**
 * One in-sync replica: a member and the data directory it held the entries in. A member that comes back
 * with another data directory is a new replica and not this one (docs/design.md rule 1).
 */
public record IsrMember(String member, String dataDirId) {
    public IsrMember {
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(dataDirId, "dataDirId");
    }
}
