package io.understudy.sidecar.fault;

/** The faults the {@link Nemesis} injects (issue 3, item 1). */
enum FaultKind {
    KILL_LEADER("kill -9 of the leader, restarted after the next sync ack"),
    KILL_FOLLOWER("kill -9 of a follower for a session timeout, then restarted"),
    PAUSE_LEADER("SIGSTOP of the leader for sessionTimeout + 2 s, then SIGCONT"),
    ZK_SERVER_DOWN("one ZooKeeper server stopped for 3 s, then restarted"),
    ZK_QUORUM_LOST("two ZooKeeper servers stopped for 4 s (quorum lost), then restarted"),
    ISOLATE_FOLLOWER("peer traffic to a follower cut for replicaLagMaxMs + 2 s, then healed"),
    ISOLATE_LEADER("the leader cut off from every follower (not from ZooKeeper) for replicaLagMaxMs + 2 s"),
    TERM_LEADER("SIGTERM of the leader (graceful hand-over), restarted after the next sync ack");

    private final String description;

    FaultKind(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }
}
