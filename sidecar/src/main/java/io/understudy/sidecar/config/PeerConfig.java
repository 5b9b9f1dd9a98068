package io.understudy.sidecar.config;

import java.net.URI;
import java.util.Objects;

/**
 * The peer API, between sidecars of one group.
 *
 * @param listen where it listens
 * @param advertise the absolute http(s) URL other members use to reach it
 * @param token the shared secret every peer request must carry; {@link #toString()} never shows it
 */
public record PeerConfig(ListenAddress listen, URI advertise, String token) {

    public PeerConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(advertise, "advertise");
        Objects.requireNonNull(token, "token");
    }

    /** Hides the token so that logging the configuration does not leak it. */
    @Override
    public String toString() {
        return "PeerConfig[listen=" + listen + ", advertise=" + advertise + ", token=<redacted>]";
    }
}
