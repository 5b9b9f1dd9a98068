package io.understudy.sidecar.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The log of each partition ({@code log.*} keys).
 *
 * @param segmentBytes a new segment starts once the active one holds this many bytes ({@code log.segmentBytes})
 * @param retainBytes retention trims old segments while the log holds more bytes ({@code log.retainBytes})
 * @param retain retention trims segments whose newest entry is older ({@code log.retainMs})
 */
public record LogConfig(long segmentBytes, long retainBytes, Duration retain) {
    /** The defaults of the {@code log.*} keys: 64 MiB segments, 1 GiB and 7 days retained. */
    public static final LogConfig DEFAULTS = new LogConfig(64L << 20, 1L << 30, Duration.ofDays(7));

    public LogConfig {
        Objects.requireNonNull(retain, "retain");
    }
}
