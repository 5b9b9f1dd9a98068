package io.understudy.sidecar.coordination;

/**
 * The settings every member of a group must agree on, kept in the group's config znode. The first member
 * writes them; a member whose own configuration disagrees refuses to start.
 */
public record GroupSettings(int partitions, int minInSync) {}
