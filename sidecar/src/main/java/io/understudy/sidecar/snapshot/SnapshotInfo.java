package io.understudy.sidecar.snapshot;

import io.understudy.sidecar.log.Position;
import java.util.Objects;

/**
 * One stored snapshot of a partition: the app's state with every entry up to and including {@code position}
 * applied, {@code sizeBytes} long, its bytes' CRC-32C {@code crc32c}.
 */
public record SnapshotInfo(int partition, Position position, long sizeBytes, long crc32c) {
    public SnapshotInfo {
        Objects.requireNonNull(position, "position");
        if (partition < 0) throw new IllegalArgumentException("partition " + partition);
        if (position.index() < 1) throw new IllegalArgumentException("a snapshot covers index >= 1, was " + position);
        if (sizeBytes < 0) throw new IllegalArgumentException("sizeBytes " + sizeBytes);
    }

    /** The last index the snapshot covers. */
    public long index() {
        return position.index();
    }
}
