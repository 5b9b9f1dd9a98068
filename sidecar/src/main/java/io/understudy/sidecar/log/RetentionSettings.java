package io.understudy.sidecar.log;

import java.time.Duration;
import java.util.Objects;

/**
 * What a partition's log keeps ({@code log.*} config keys).
 *
 * @param segmentBytes a new segment starts once the active one holds this many bytes (only whole segments go)
 * @param retainBytes old segments go while the log holds more bytes than this
 * @param retainMs old segments go once their newest entry is older than this
 */
public record RetentionSettings(long segmentBytes, long retainBytes, Duration retainMs) {
    public RetentionSettings {
        Objects.requireNonNull(retainMs, "retainMs");
        if (segmentBytes < 1 || retainBytes < 0 || retainMs.isNegative()) {
            throw new IllegalArgumentException("retention settings: segmentBytes " + segmentBytes + ", retainBytes "
                    + retainBytes + ", retainMs " + retainMs);
        }
    }
}
