package io.understudy.sidecar.api.peer;

/**
 * The headers of {@code GET /peer/v1/snapshot}'s answer: the position the snapshot covers and its CRC-32C (decimal),
 * so that the receiving member checks every byte before it stores it. {@code Content-Length} is its size.
 */
final class SnapshotHeaders {
    static final String INDEX = "Understudy-Snapshot-Index";
    static final String EPOCH = "Understudy-Snapshot-Epoch";
    static final String CRC32C = "Understudy-Snapshot-Crc32c";

    private SnapshotHeaders() {}
}
