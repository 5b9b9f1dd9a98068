package io.understudy.sidecar.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A client's {@code Idempotency-Key} and the fingerprint of the request it came with. It travels inside the
 * entry (a version 2 record, see {@link RecordCodec}), so whichever member leads next finds it in its own log.
 *
 * @param key the client's key: 1 to {@link #MAX_KEY_BYTES} bytes of UTF-8
 * @param requestHash SHA-256 of the request's entry key, content type and payload ({@link #of}); a retry must
 *     bring the same request, or it is refused
 */
public record IdempotencyKey(String key, byte[] requestHash) {
    public static final int MAX_KEY_BYTES = 128;
    public static final int HASH_BYTES = 32;

    public IdempotencyKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(requestHash, "requestHash");
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < 1 || bytes > MAX_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "idempotency key of " + bytes + " bytes; expected 1 to " + MAX_KEY_BYTES);
        }
        if (requestHash.length != HASH_BYTES) {
            throw new IllegalArgumentException("request hash of " + requestHash.length + " bytes, not " + HASH_BYTES);
        }
        requestHash = requestHash.clone();
    }

    /**
     * The key of a request: SHA-256 over the entry key, the content type (each as a 4-byte big-endian length and
     * its UTF-8 bytes) and the payload. Cheap next to the write itself, and computed before the write reaches the
     * partition's loop.
     */
    public static IdempotencyKey of(String key, String entryKey, String contentType, byte[] payload) {
        MessageDigest sha = sha256();
        field(sha, entryKey.getBytes(StandardCharsets.UTF_8));
        field(sha, contentType.getBytes(StandardCharsets.UTF_8));
        sha.update(payload);
        return new IdempotencyKey(key, sha.digest());
    }

    @Override
    public byte[] requestHash() {
        return requestHash.clone();
    }

    /** True when {@code other} fingerprints the same request. */
    public boolean sameRequest(IdempotencyKey other) {
        return MessageDigest.isEqual(requestHash, other.requestHash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdempotencyKey k && key.equals(k.key) && Arrays.equals(requestHash, k.requestHash);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Arrays.hashCode(requestHash);
    }

    @Override
    public String toString() {
        return "IdempotencyKey[" + key + ", sha256 " + HexFormat.of().formatHex(requestHash, 0, 4) + "...]";
    }

    private static void field(MessageDigest sha, byte[] bytes) {
        sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        sha.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
