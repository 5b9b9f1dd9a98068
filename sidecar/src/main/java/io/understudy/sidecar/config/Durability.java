package io.understudy.sidecar.config;

/** When a write is acknowledged (docs/design.md rule 8). Written in lower case in the config and in the API. */
public enum Durability {
    /** Acknowledged once committed: every ISR member holds it. */
    SYNC,
    /** Acknowledged after the leader's local append; lost if the leader dies before replicating it. */
    ASYNC;

    /**
     * Reads {@code sync} or {@code async}, ignoring case.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Durability parse(String text) {
        return EnumNames.parse(Durability.class, text);
    }

    /** The lower-case name used in the config and the API. */
    public String configName() {
        return EnumNames.configName(this);
    }
}
