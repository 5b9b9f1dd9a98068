package io.understudy.sidecar.replication;

import java.util.concurrent.CompletableFuture;

/** Talks to other members' peer listeners. Futures fail with an {@link java.io.IOException} on transport errors. */
public interface PeerClient extends AutoCloseable {

    CompletableFuture<AppendResponse> append(String peerUrl, AppendRequest request);

    /** Hands a client write to the partition's leader, which answers once it is acknowledged. */
    CompletableFuture<Ack> forward(String peerUrl, WriteRequest request);

    @Override
    void close();
}
