package io.understudy.sidecar.replication;

import java.util.concurrent.CompletableFuture;

/** Talks to other members' peer listeners. Futures fail with an {@link java.io.IOException} on transport errors. */
public interface PeerClient extends AutoCloseable {

    CompletableFuture<AppendResponse> append(String peerUrl, AppendRequest request);

    /** Hands a client write to the partition's leader, which answers once it is acknowledged. */
    CompletableFuture<Ack> forward(String peerUrl, WriteRequest request);

    /**
     * Relays a switchover request to the partition's leader ({@code POST /peer/v1/switchover}), which answers once
     * {@code target} leads or fails with the leader's own error.
     */
    default CompletableFuture<SwitchoverResult> switchover(
            String peerUrl, int partition, String target, java.time.Duration timeout) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("no switchover relay"));
    }

    @Override
    void close();
}
