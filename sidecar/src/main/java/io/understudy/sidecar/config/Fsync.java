package io.understudy.sidecar.config;

/** When appended log entries are forced to disk. Written in lower case in the config. */
public enum Fsync {
    /** Before an entry counts as appended (group commit: one force covers many entries). */
    ALWAYS,
    /** At most {@code replication.fsyncIntervalMs} after an append; a crash may lose acknowledged entries. */
    INTERVAL,
    /** Left to the operating system; a crash may lose acknowledged entries. */
    NEVER;

    /**
     * Reads {@code always}, {@code interval} or {@code never}, ignoring case.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Fsync parse(String text) {
        return EnumNames.parse(Fsync.class, text);
    }

    /** The lower-case name used in the config. */
    public String configName() {
        return EnumNames.configName(this);
    }
}
