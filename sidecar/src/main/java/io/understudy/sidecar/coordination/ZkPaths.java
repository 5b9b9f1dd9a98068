package io.understudy.sidecar.coordination;

/** Every znode path Understudy uses, in one place (docs/design.md section 3). */
public final class ZkPaths {
    private final String root;

    public ZkPaths(String group) {
        this.root = "/understudy/" + group;
    }

    public String root() {
        return root;
    }

    public String config() {
        return root + "/config";
    }

    public String members() {
        return root + "/members";
    }

    public String member(String id) {
        return members() + "/" + id;
    }

    /** Exists while the group is paused (no leader balancing, no unclean election). */
    public String paused() {
        return root + "/paused";
    }

    /** Members an operator removed from the group (docs/design.md, "Add and remove members"): one child each. */
    public String removed() {
        return root + "/removed";
    }

    public String removedMember(String id) {
        return removed() + "/" + id;
    }

    /** The member id named by a path under {@link #removed()}, or null for any other path. */
    public String removedIdOf(String path) {
        String prefix = removed() + "/";
        if (!path.startsWith(prefix)) return null;
        String rest = path.substring(prefix.length());
        return rest.isEmpty() || rest.contains("/") ? null : rest;
    }

    public String partitions() {
        return root + "/partitions";
    }

    public String state(int partition) {
        return partitions() + "/" + partition + "/state";
    }

    /** The parent of a partition's epoch history: one persistent sequential child per epoch claim. */
    public String history(int partition) {
        return partitions() + "/" + partition + "/history";
    }

    /** The prefix ZooKeeper appends a sequence number to for each new history entry. */
    public String historyEntryPrefix(int partition) {
        return history(partition) + "/epoch-";
    }

    public String latch(int partition) {
        return partitions() + "/" + partition + "/latch";
    }

    /** The member id named by a path under {@link #members()}, or null for any other path. */
    public String memberIdOf(String path) {
        String prefix = members() + "/";
        if (!path.startsWith(prefix)) return null;
        String rest = path.substring(prefix.length());
        return rest.isEmpty() || rest.contains("/") ? null : rest;
    }
}
