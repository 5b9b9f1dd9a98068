package io.understudy.sidecar.snapshot;

import io.understudy.sidecar.log.Position;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** This member's stored snapshots, per partition. Safe to call from any thread. */
public interface SnapshotStore {

    /** The newest complete snapshot of {@code partition}, if any. */
    Optional<SnapshotInfo> latest(int partition) throws IOException;

    /**
     * The bytes of {@code snapshot}. The stream checks the size and the CRC-32C as it reaches the end and throws
     * {@link CorruptSnapshotException} from {@code read} when they do not match: read it to the end before trusting
     * what it gave.
     */
    InputStream open(SnapshotInfo snapshot) throws IOException;

    /**
     * Stores {@code bytes} (read to the end, not closed) as the snapshot of {@code partition} at {@code position},
     * durably: the snapshot is visible to {@link #latest} only once all of it is on disk. Older snapshots of the
     * partition beyond the newest two are deleted.
     */
    SnapshotInfo save(int partition, Position position, InputStream bytes) throws IOException;
}
