package io.understudy.sidecar.replication;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Talks to other members' peer listeners. Futures fail with an {@link java.io.IOException} on transport errors. */
public interface PeerClient extends AutoCloseable {

    CompletableFuture<AppendResponse> append(String peerUrl, AppendRequest request);

    /** Hands a client write to the partition's leader, which answers once it is acknowledged. */
    CompletableFuture<Ack> forward(String peerUrl, WriteRequest request);

    /**
     * Hands several client writes of one partition to its leader in one request; one answer per write, in order.
     * This default forwards them one by one (for clients that have no batch request).
     */
    default List<CompletableFuture<Ack>> forwardBatch(String peerUrl, List<WriteRequest> requests) {
        return requests.stream().map(r -> forward(peerUrl, r)).toList();
    }

    /**
     * Relays a switchover request to the partition's leader ({@code POST /peer/v1/switchover}), which answers once
     * {@code target} leads or fails with the leader's own error.
     */
    default CompletableFuture<SwitchoverResult> switchover(
            String peerUrl, int partition, String target, java.time.Duration timeout) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("no switchover relay"));
    }

    /**
     * Fetches the partition's latest snapshot from the member at {@code peerUrl} ({@code GET /peer/v1/snapshot}) and
     * saves it into {@code store}, checking its size and CRC-32C as it streams (a snapshot that does not match is
     * never stored); blocking. Throws {@link java.io.FileNotFoundException} when that member stores none.
     */
    default io.understudy.sidecar.snapshot.SnapshotInfo fetchSnapshot(
            String peerUrl, int partition, io.understudy.sidecar.snapshot.SnapshotStore store)
            throws java.io.IOException, InterruptedException {
        throw new java.io.IOException("this peer client cannot fetch snapshots");
    }

    @Override
    void close();
}
