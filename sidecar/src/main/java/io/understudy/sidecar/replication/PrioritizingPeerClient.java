package io.understudy.sidecar.replication;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Replication priority ({@code replication.highPriorityPartitions}): a {@link PeerClient} that sends every append
 * carrying entries through the {@link LinkScheduler} of its follower, one scheduler per follower shared by the
 * senders of every partition this member leads. Heartbeats (no entries) and forwarded writes go straight through.
 * A decorator, so the senders need no change: one batch waits for its turn on the link, then goes.
 */
public final class PrioritizingPeerClient implements PeerClient {
    /** How long normal batches wait, after a high-priority one, for that partition's next batch. */
    static final Duration GRACE = Duration.ofMillis(20);

    private final PeerClient delegate;
    private final Set<Integer> highPriorityPartitions;
    private final long windowBytes;
    private final Duration maxWait;
    private final Map<String, LinkScheduler> links = new ConcurrentHashMap<>();

    /**
     * @param windowBytes the most append bytes in flight to one follower
     * @param maxWait how long a sender waits for an answer: a batch still waiting for the link after that is dropped
     */
    public PrioritizingPeerClient(
            PeerClient delegate, Set<Integer> highPriorityPartitions, long windowBytes, Duration maxWait) {
        this.delegate = delegate;
        this.highPriorityPartitions = Set.copyOf(highPriorityPartitions);
        this.windowBytes = windowBytes;
        this.maxWait = maxWait;
    }

    @Override
    public CompletableFuture<AppendResponse> append(String peerUrl, AppendRequest request) {
        if (request.entries().isEmpty()) return delegate.append(peerUrl, request);
        LinkScheduler link = links.computeIfAbsent(
                peerUrl,
                url -> new LinkScheduler(
                        url,
                        windowBytes,
                        GRACE,
                        maxWait,
                        Ticker.system(),
                        (delay, task) -> CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS)
                                .execute(task)));
        return link.acquire(highPriorityPartitions.contains(request.partition()), bytesOf(request))
                .thenCompose(permit -> {
                    CompletableFuture<AppendResponse> sent;
                    try {
                        sent = delegate.append(peerUrl, request);
                    } catch (RuntimeException e) {
                        link.release(permit);
                        throw e;
                    }
                    return sent.whenComplete((response, error) -> link.release(permit));
                });
    }

    /** The entries' payloads plus a rough per-entry overhead (index, epoch, key): what the link carries. */
    private static long bytesOf(AppendRequest request) {
        long bytes = 0;
        for (var entry : request.entries())
            bytes += entry.payload().length + entry.key().length() + 64;
        return bytes;
    }

    @Override
    public CompletableFuture<Ack> forward(String peerUrl, WriteRequest request) {
        return delegate.forward(peerUrl, request);
    }

    @Override
    public List<CompletableFuture<Ack>> forwardBatch(String peerUrl, List<WriteRequest> requests) {
        return delegate.forwardBatch(peerUrl, requests);
    }

    @Override
    public CompletableFuture<SwitchoverResult> switchover(
            String peerUrl, int partition, String target, Duration timeout) {
        return delegate.switchover(peerUrl, partition, target, timeout);
    }

    @Override
    public io.understudy.sidecar.snapshot.SnapshotInfo fetchSnapshot(
            String peerUrl, int partition, io.understudy.sidecar.snapshot.SnapshotStore store)
            throws java.io.IOException, InterruptedException {
        return delegate.fetchSnapshot(peerUrl, partition, store);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
