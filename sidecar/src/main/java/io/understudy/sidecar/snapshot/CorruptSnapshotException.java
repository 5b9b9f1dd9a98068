package io.understudy.sidecar.snapshot;

import java.io.IOException;

/** A stored snapshot whose bytes do not match the size or checksum recorded when it was saved. */
public final class CorruptSnapshotException extends IOException {
    public CorruptSnapshotException(String message) {
        super(message);
    }
}
