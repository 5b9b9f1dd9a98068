package io.understudy.sidecar.api;

import io.understudy.sidecar.config.Durability;
import io.understudy.sidecar.log.IdempotencyKey;
import java.util.Locale;

/**
 * The rules a client write's fields follow, the same for {@code POST /v1/entries} and each item of
 * {@code POST /v1/entries/batch}; each breach is a {@link BadRequestException} that names the field.
 */
final class WriteFields {
    static final int MAX_KEY_CHARS = 1024;

    private WriteFields() {}

    /** {@code key} unchanged, or 400 when it is over {@link #MAX_KEY_CHARS}. */
    static String key(String field, String key) {
        if (key.length() > MAX_KEY_CHARS) {
            throw new BadRequestException(field + " is " + key.length() + " characters; at most " + MAX_KEY_CHARS);
        }
        return key;
    }

    /** The idempotency key, or null without one; 400 unless it is 1 to 128 visible ASCII characters. */
    static String idempotencyKey(String field, String value) {
        if (value == null) return null;
        if (value.isEmpty() || value.length() > IdempotencyKey.MAX_KEY_BYTES) {
            throw new BadRequestException(
                    field + " is " + value.length() + " characters; expected 1 to " + IdempotencyKey.MAX_KEY_BYTES);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new BadRequestException(field + " holds a character other than visible ASCII at " + i
                        + "; use letters, digits and punctuation (a UUID, for example)");
            }
        }
        return value;
    }

    /** {@code sync} or {@code async} (any case), {@code fallback} when absent. */
    static Durability durability(String field, String value, Durability fallback) {
        if (value == null) return fallback;
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "sync" -> Durability.SYNC;
            case "async" -> Durability.ASYNC;
            default -> throw new BadRequestException(field + " must be 'sync' or 'async', was '" + value + "'");
        };
    }
}
