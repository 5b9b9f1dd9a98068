package io.understudy.sidecar.coordination;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The partition state znodes (epoch, leader, ISR). Writes are conditional on the version last read, so two
 * members can never both believe their write went through.
 */
public interface PartitionStateStore {

    /**
     * Creates the state znode for a new partition (no epoch, empty ISR, a fresh random incarnation) unless it
     * exists; answers what is there.
     */
    CompletableFuture<Versioned<PartitionState>> initialize(int partition);

    CompletableFuture<Versioned<PartitionState>> read(int partition);

    /**
     * Writes {@code next} if the znode is still at {@code expectedVersion}; fails with
     * {@link StaleVersionException} otherwise.
     */
    CompletableFuture<Versioned<PartitionState>> compareAndSet(int partition, PartitionState next, int expectedVersion);

    /**
     * The epoch claim of docs/design.md rule 2: in one transaction, checks that {@code latchNodePath} still exists
     * and writes {@code next} if the znode is still at {@code expectedVersion}. Fails with
     * {@link StaleVersionException} when either check fails.
     */
    CompletableFuture<Versioned<PartitionState>> claim(
            int partition, PartitionState next, int expectedVersion, String latchNodePath);

    /** Calls {@code listener} with every new version of the partition's state (and the current one). */
    void watch(int partition, Consumer<Versioned<PartitionState>> listener);
}
