package io.understudy.sidecar.replication;

import java.time.Duration;

/**
 * How a leader talks to each follower.
 *
 * @param maxBatchEntries most entries in one append request
 * @param maxBatchBytes most record bytes in one append request (at least one record is sent)
 * @param heartbeatInterval how often an idle leader still sends its commit index
 * @param requestTimeout how long one append request may take before it counts as failed
 * @param maxInFlightBatches most append requests on the wire to one follower at once (pipelining)
 */
public record SenderSettings(
        int maxBatchEntries,
        long maxBatchBytes,
        Duration heartbeatInterval,
        Duration requestTimeout,
        int maxInFlightBatches) {
    /** The default of {@code replication.maxInFlightBatches}. */
    public static final int DEFAULT_MAX_IN_FLIGHT_BATCHES = 4;

    public SenderSettings {
        if (maxInFlightBatches < 1) throw new IllegalArgumentException("maxInFlightBatches " + maxInFlightBatches);
    }

    /** With the default pipelining depth. */
    public SenderSettings(
            int maxBatchEntries, long maxBatchBytes, Duration heartbeatInterval, Duration requestTimeout) {
        this(maxBatchEntries, maxBatchBytes, heartbeatInterval, requestTimeout, DEFAULT_MAX_IN_FLIGHT_BATCHES);
    }
}
