package io.understudy.sidecar.replication;

/**
 * A write came with an {@code Idempotency-Key} that an earlier write, within the window, used for a different
 * request (another body, content type or entry key). Nothing was written; the client reused a key by mistake.
 */
public final class IdempotencyMismatchException extends ReplicationException {
    public IdempotencyMismatchException(int partition, String key, long originalIndex) {
        super("Idempotency-Key '" + key + "' was already used on partition " + partition + " for a different request"
                + " (entry " + originalIndex + "): same key, different body or parameters; nothing was written");
    }
}
