package io.understudy.sidecar.log;

import java.io.IOException;

/**
 * A read from an index the log no longer holds: it lies at or below the log's {@link PartitionLog#base()}, trimmed
 * away (or reset past) because a snapshot covers it. The reader needs that snapshot instead.
 */
public final class TrimmedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Position base;

    public TrimmedException(String who, long index, Position base) {
        super("[" + who + "] index " + index + " is no longer in the log: it was trimmed, the log starts after base "
                + base + " (a snapshot covers it)");
        this.base = base;
    }

    /** The log's base when the read was refused. */
    public Position base() {
        return base;
    }
}
