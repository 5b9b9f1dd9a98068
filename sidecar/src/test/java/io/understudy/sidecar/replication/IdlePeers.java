package io.understudy.sidecar.replication;

import java.util.concurrent.CompletableFuture;

/** Peers that never answer: leader sessions under test get their followers' answers from the test instead. */
final class IdlePeers implements PeerClient {
    @Override
    public CompletableFuture<AppendResponse> append(String peerUrl, AppendRequest request) {
        return new CompletableFuture<>();
    }

    @Override
    public CompletableFuture<Ack> forward(String peerUrl, WriteRequest request) {
        return new CompletableFuture<>();
    }

    @Override
    public void close() {}
}
