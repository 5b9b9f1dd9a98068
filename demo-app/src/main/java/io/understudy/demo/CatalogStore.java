package io.understudy.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The catalog's state: items, the applied index of each partition, and the readers waiting for an
 * index. Pure and in memory; one lock guards it, so a delivery is applied atomically with respect to
 * readers. Waiters are completed outside the lock.
 */
public final class CatalogStore {
    private final Map<String, JsonNode> items = new HashMap<>();
    /** The partition whose delivery wrote each item: what a partition's snapshot holds and its install replaces. */
    private final Map<String, Integer> owners = new HashMap<>();

    private final Map<Integer, Long> applied = new HashMap<>();
    private final Map<Integer, NavigableMap<Long, List<CompletableFuture<Long>>>> waiters = new HashMap<>();

    /**
     * Applies consecutive entries of one partition in order: each entry at {@code appliedIndex + 1}
     * is applied, entries at or below the applied index are repeats and skipped, and an entry beyond
     * {@code appliedIndex + 1} is a gap: nothing from it on is applied.
     */
    public ApplyResult apply(int partition, List<Delivered> entries) {
        List<CompletableFuture<Long>> ready = new ArrayList<>();
        ApplyResult result;
        synchronized (this) {
            long index = appliedIndex(partition);
            int count = 0;
            long gap = 0;
            for (Delivered entry : entries) {
                if (entry.index() <= index) {
                    continue;
                }
                if (entry.index() != index + 1) {
                    gap = entry.index();
                    break;
                }
                if (entry.key() != null) {
                    items.put(entry.key(), entry.value());
                    owners.put(entry.key(), partition);
                }
                index = entry.index();
                count++;
            }
            applied.put(partition, index);
            collectReady(partition, index, ready);
            result = new ApplyResult(
                    gap == 0 ? ApplyResult.Outcome.APPLIED : ApplyResult.Outcome.GAP, index, count, gap);
        }
        long index = result.appliedIndex();
        ready.forEach(f -> f.complete(index));
        return result;
    }

    /** One partition's state as a snapshot holds it: its items and the index they reflect. */
    public record PartitionState(long appliedIndex, SortedMap<String, JsonNode> items) {}

    /** The items of {@code partition} and its applied index, taken together (a consistent cut). */
    public synchronized PartitionState snapshot(int partition) {
        SortedMap<String, JsonNode> held = new TreeMap<>();
        owners.forEach((id, owner) -> {
            if (owner == partition) held.put(id, items.get(id));
        });
        return new PartitionState(appliedIndex(partition), held);
    }

    /**
     * Replaces the state of {@code partition} with {@code state} at once: its items are dropped, the snapshot's put
     * in their place, and its applied index set to the snapshot's (readers see the old state or the new one, never a
     * mix). Readers waiting for an index the snapshot covers are answered.
     */
    public void install(int partition, PartitionState state) {
        List<CompletableFuture<Long>> ready = new ArrayList<>();
        synchronized (this) {
            owners.entrySet().removeIf(owner -> {
                if (owner.getValue() != partition) return false;
                items.remove(owner.getKey());
                return true;
            });
            state.items().forEach((id, value) -> {
                items.put(id, value);
                owners.put(id, partition);
            });
            applied.put(partition, state.appliedIndex());
            collectReady(partition, state.appliedIndex(), ready);
        }
        ready.forEach(f -> f.complete(state.appliedIndex()));
    }

    public synchronized long appliedIndex(int partition) {
        return applied.getOrDefault(partition, 0L);
    }

    /** The applied index of every partition that has seen a delivery, by partition. */
    public synchronized SortedMap<Integer, Long> positions() {
        return new TreeMap<>(applied);
    }

    public synchronized Optional<JsonNode> get(String id) {
        return Optional.ofNullable(items.get(id));
    }

    /** A copy of all items, sorted by id. */
    public synchronized SortedMap<String, JsonNode> items() {
        return new TreeMap<>(items);
    }

    public synchronized int size() {
        return items.size();
    }

    /**
     * A future completed with the applied index once {@code index} of {@code partition} is applied (already
     * complete if it is), or failed with a {@link java.util.concurrent.TimeoutException} after {@code timeout}.
     * A reader that timed out is forgotten before the returned future fails, so whoever hears of the time-out
     * never sees it still counted in {@link #waiting()}.
     */
    public CompletableFuture<Long> awaitApplied(int partition, long index, Duration timeout) {
        CompletableFuture<Long> waiter = new CompletableFuture<>();
        synchronized (this) {
            long current = appliedIndex(partition);
            if (current >= index) {
                waiter.complete(current);
                return waiter;
            }
            waiters.computeIfAbsent(partition, p -> new TreeMap<>())
                    .computeIfAbsent(index, i -> new ArrayList<>())
                    .add(waiter);
        }
        // The reader gets a dependent future: it completes only after forget() ran (dependents of one future run
        // in no promised order, so a reader chained on the waiter itself could answer before the waiter is gone).
        return waiter.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((value, error) -> {
            if (error != null) {
                forget(partition, index, waiter);
            }
        });
    }

    /** How many readers are waiting, over all partitions (for tests and status). */
    public synchronized int waiting() {
        return waiters.values().stream()
                .flatMap(byIndex -> byIndex.values().stream())
                .mapToInt(List::size)
                .sum();
    }

    private void collectReady(int partition, long index, List<CompletableFuture<Long>> ready) {
        NavigableMap<Long, List<CompletableFuture<Long>>> byIndex = waiters.get(partition);
        if (byIndex == null) {
            return;
        }
        NavigableMap<Long, List<CompletableFuture<Long>>> due = byIndex.headMap(index, true);
        due.values().forEach(ready::addAll);
        due.clear();
        if (byIndex.isEmpty()) {
            waiters.remove(partition);
        }
    }

    private synchronized void forget(int partition, long index, CompletableFuture<Long> future) {
        NavigableMap<Long, List<CompletableFuture<Long>>> byIndex = waiters.get(partition);
        if (byIndex == null) {
            return;
        }
        List<CompletableFuture<Long>> list = byIndex.get(index);
        if (list != null && list.remove(future) && list.isEmpty()) {
            byIndex.remove(index);
            if (byIndex.isEmpty()) {
                waiters.remove(partition);
            }
        }
    }
}
