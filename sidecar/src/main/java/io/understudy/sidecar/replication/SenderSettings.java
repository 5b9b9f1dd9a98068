package io.understudy.sidecar.replication;

import java.time.Duration;

/**
 * How a leader talks to each follower.
 *
 * @param maxBatchEntries most entries in one append request
 * @param maxBatchBytes most payload bytes in one append request
 * @param heartbeatInterval how often an idle leader still sends its commit index
 * @param requestTimeout how long one append request may take before it counts as failed
 */
public record SenderSettings(
        int maxBatchEntries, long maxBatchBytes, Duration heartbeatInterval, Duration requestTimeout) {}
