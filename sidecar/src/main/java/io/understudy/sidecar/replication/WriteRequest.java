package io.understudy.sidecar.replication;

import io.understudy.sidecar.config.Durability;
import java.util.Objects;

/** A client write, before the leader gives it an epoch and an index. */
public record WriteRequest(int partition, String key, String contentType, byte[] payload, Durability durability) {
    public WriteRequest {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(durability, "durability");
    }
}
