package io.understudy.sidecar.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Delivery of committed entries to the host app.
 *
 * @param url the app's base URL; empty means no delivery (the member replicates but hands nothing on)
 * @param batchEntries the most entries sent in one delivery request
 * @param requestTimeout how long one delivery request may take
 * @param retryBackoff the wait before retrying a failed delivery
 * @param positionCheckInterval how often the app is asked the position it really holds, idle or not (an app
 *     restarted with less state is redelivered from there)
 * @param snapshotIntervalEntries how many entries the app applies between two snapshots asked of it (an app that
 *     serves {@code GET /understudy/snapshot}; key {@code snapshot.intervalEntries})
 */
public record AppConfig(
        Optional<URI> url,
        int batchEntries,
        Duration requestTimeout,
        Duration retryBackoff,
        Duration positionCheckInterval,
        long snapshotIntervalEntries) {

    /** The default snapshot interval of {@code snapshot.intervalEntries}. */
    public static final long DEFAULT_SNAPSHOT_INTERVAL_ENTRIES = 100_000;

    public AppConfig(
            Optional<URI> url,
            int batchEntries,
            Duration requestTimeout,
            Duration retryBackoff,
            Duration positionCheckInterval) {
        this(url, batchEntries, requestTimeout, retryBackoff, positionCheckInterval, DEFAULT_SNAPSHOT_INTERVAL_ENTRIES);
    }

    public AppConfig {
        if (snapshotIntervalEntries < 1) throw new IllegalArgumentException("snapshotIntervalEntries < 1");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        Objects.requireNonNull(positionCheckInterval, "positionCheckInterval");
    }
}
