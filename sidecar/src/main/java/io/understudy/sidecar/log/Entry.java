package io.understudy.sidecar.log;

import java.util.Objects;

/**
 * One replicated write: the unit of the log, of peer replication and of delivery.
 *
 * @param partition the partition whose log holds it
 * @param epoch the leader term of the leader that wrote it
 * @param index its position in the partition's log, dense from 1
 * @param timestamp milliseconds since the epoch at which the leader accepted it
 * @param key the client's key ("" when none was given)
 * @param contentType the client's content type ("" when none was given)
 * @param payload the client's bytes, opaque to Understudy
 * @param idempotency the client's {@code Idempotency-Key} and request fingerprint, or null when none was given
 */
public record Entry(
        int partition,
        long epoch,
        long index,
        long timestamp,
        String key,
        String contentType,
        byte[] payload,
        IdempotencyKey idempotency) {
    public Entry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(payload, "payload");
        if (index < 1) throw new IllegalArgumentException("index must be >= 1, was " + index);
        if (epoch < 1) throw new IllegalArgumentException("epoch must be >= 1, was " + epoch);
    }

    /** An entry written without an {@code Idempotency-Key}. */
    public Entry(
            int partition, long epoch, long index, long timestamp, String key, String contentType, byte[] payload) {
        this(partition, epoch, index, timestamp, key, contentType, payload, null);
    }

    public Position position() {
        return new Position(epoch, index);
    }

    /** The same entry placed at another position (the leader assigns epoch and index). */
    public Entry at(long newEpoch, long newIndex) {
        return new Entry(partition, newEpoch, newIndex, timestamp, key, contentType, payload, idempotency);
    }
}
