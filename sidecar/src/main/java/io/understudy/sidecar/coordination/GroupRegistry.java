package io.understudy.sidecar.coordination;

/** The group's config znode: the settings all members share. */
public interface GroupRegistry {

    /**
     * Writes {@code mine} if the group has no settings yet; otherwise checks that they agree and throws a
     * {@link CoordinationException} naming the setting that differs.
     */
    GroupSettings agree(GroupSettings mine) throws CoordinationException;
}
