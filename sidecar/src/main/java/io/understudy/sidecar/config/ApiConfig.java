package io.understudy.sidecar.config;

import java.util.Objects;

/**
 * The local API, for the host app only.
 *
 * @param listen where it listens
 * @param maxBodyBytes the largest request body accepted (larger ones get 413)
 */
public record ApiConfig(ListenAddress listen, long maxBodyBytes) {

    public ApiConfig {
        Objects.requireNonNull(listen, "listen");
    }
}
