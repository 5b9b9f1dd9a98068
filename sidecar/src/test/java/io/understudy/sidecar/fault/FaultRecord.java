package io.understudy.sidecar.fault;

/**
 * One injected fault: what, on whom, and when ({@link System#nanoTime()} of the test JVM). {@code partition} is the
 * partition whose leader or follower was hit, or -1 for ZooKeeper faults (every partition is exposed).
 * {@code isolatedFromNanos}/{@code isolatedUntilNanos} bound the time the leader could reach no follower at all
 * ({@link FaultKind#ISOLATE_LEADER}; both 0 otherwise).
 */
record FaultRecord(
        int number,
        FaultKind kind,
        String target,
        int partition,
        long injectedNanos,
        long isolatedFromNanos,
        long isolatedUntilNanos) {}
