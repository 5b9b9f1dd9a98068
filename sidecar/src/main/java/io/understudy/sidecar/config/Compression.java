package io.understudy.sidecar.config;

/**
 * How a leader compresses the bodies of its appends to followers ({@code replication.compression}). Written in lower
 * case in the config; the lower-case name is also the body's {@code Content-Encoding}.
 */
public enum Compression {
    /** Bodies travel as encoded. */
    NONE,
    /** LZ4 frames: cheap on CPU, a moderate ratio. */
    LZ4,
    /** Zstandard frames at a low level: more CPU than LZ4, a better ratio. */
    ZSTD;

    /**
     * Reads {@code none}, {@code lz4} or {@code zstd}, ignoring case.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Compression parse(String text) {
        return EnumNames.parse(Compression.class, text);
    }

    /** The lower-case name used in the config and as the {@code Content-Encoding}. */
    public String configName() {
        return EnumNames.configName(this);
    }
}
