package io.understudy.sidecar.fault;

/** One injected fault: what, on whom, and when ({@link System#nanoTime()} of the test JVM). */
record FaultRecord(int number, FaultKind kind, String target, long injectedNanos) {}
