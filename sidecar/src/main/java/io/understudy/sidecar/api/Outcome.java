package io.understudy.sidecar.api;

import java.util.Locale;

/** What a failed write's client may assume about it: the {@code outcome} of every error body. */
public enum Outcome {
    /** Nothing was written: the request may be retried as it is. */
    REJECTED,
    /** The write may or may not have been taken: retry only with the same {@code Idempotency-Key}, or check first. */
    UNKNOWN;

    /** The name on the wire: {@code rejected}, {@code unknown}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Outcome parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}
