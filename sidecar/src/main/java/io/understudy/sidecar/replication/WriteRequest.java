package io.understudy.sidecar.replication;

import io.understudy.sidecar.config.Durability;
import io.understudy.sidecar.log.IdempotencyKey;
import java.util.Objects;

/**
 * A client write, before the leader gives it an epoch and an index.
 *
 * @param idempotency the client's {@code Idempotency-Key} with the request's fingerprint, or null when none
 */
public record WriteRequest(
        int partition,
        String key,
        String contentType,
        byte[] payload,
        Durability durability,
        IdempotencyKey idempotency) {
    public WriteRequest {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(durability, "durability");
    }

    /** A write without an {@code Idempotency-Key}. */
    public WriteRequest(int partition, String key, String contentType, byte[] payload, Durability durability) {
        this(partition, key, contentType, payload, durability, null);
    }
}
