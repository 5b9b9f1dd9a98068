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
 */
public record AppConfig(Optional<URI> url, int batchEntries, Duration requestTimeout, Duration retryBackoff) {

    public AppConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(retryBackoff, "retryBackoff");
    }
}
