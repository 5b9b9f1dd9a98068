package io.understudy.sidecar.delivery;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Read-your-writes waiters of one partition: futures completed once the host app has confirmed applying an
 * index. No thread waits; the caller bounds the wait with {@code orTimeout}.
 */
public final class AppliedWaiters {
    private final ConcurrentSkipListMap<Long, List<CompletableFuture<Long>>> waiting = new ConcurrentSkipListMap<>();
    private volatile long applied;

    public AppliedWaiters(long applied) {
        this.applied = applied;
    }

    public long applied() {
        return applied;
    }

    /** Completes (with the applied index) once the app has applied {@code index}. */
    public CompletableFuture<Long> await(long index) {
        CompletableFuture<Long> future = new CompletableFuture<>();
        waiting.computeIfAbsent(index, i -> new CopyOnWriteArrayList<>()).add(future);
        long now = applied;
        if (now >= index) release(now);
        future.whenComplete((v, e) -> waiting.computeIfPresent(index, (i, list) -> {
            list.remove(future);
            return list.isEmpty() ? null : list;
        }));
        return future;
    }

    void advance(long appliedIndex) {
        applied = appliedIndex;
        release(appliedIndex);
    }

    private void release(long appliedIndex) {
        Map<Long, List<CompletableFuture<Long>>> ready = waiting.headMap(appliedIndex, true);
        for (List<CompletableFuture<Long>> futures : ready.values()) {
            futures.forEach(f -> f.complete(appliedIndex));
        }
    }
}
