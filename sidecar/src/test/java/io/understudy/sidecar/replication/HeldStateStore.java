package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.understudy.sidecar.coordination.CoordinationException;
import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.coordination.PartitionStateStore;
import io.understudy.sidecar.coordination.StaleVersionException;
import io.understudy.sidecar.coordination.Versioned;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A partition state store that answers nothing by itself: every read, conditional write and claim waits in a
 * queue until the test answers it, so that a test can hold a write in flight, lose its reply, or let the
 * watch show a version first.
 */
final class HeldStateStore implements PartitionStateStore {

    /** A conditional write (or claim) waiting for its answer. */
    record Write(
            int partition,
            PartitionState next,
            int expectedVersion,
            CompletableFuture<Versioned<PartitionState>> reply) {
        Versioned<PartitionState> succeed() {
            Versioned<PartitionState> written = new Versioned<>(next, expectedVersion + 1);
            reply.complete(written);
            return written;
        }

        /** The connection dropped before the answer came: the write may or may not have happened. */
        void loseReply() {
            reply.completeExceptionally(new CoordinationException("ZooKeeper call failed: ConnectionLossException"));
        }

        void stale() {
            reply.completeExceptionally(new StaleVersionException("state changed since version " + expectedVersion));
        }
    }

    /** A read waiting for its answer. */
    record Read(int partition, CompletableFuture<Versioned<PartitionState>> reply) {
        void answer(Versioned<PartitionState> seen) {
            reply.complete(seen);
        }
    }

    private final Versioned<PartitionState> initial;
    private final BlockingQueue<Write> writes = new LinkedBlockingQueue<>();
    private final BlockingQueue<Write> claims = new LinkedBlockingQueue<>();
    private final BlockingQueue<Read> reads = new LinkedBlockingQueue<>();
    private final List<Consumer<Versioned<PartitionState>>> watchers = new CopyOnWriteArrayList<>();

    HeldStateStore(Versioned<PartitionState> initial) {
        this.initial = initial;
    }

    @Override
    public CompletableFuture<Versioned<PartitionState>> initialize(int partition) {
        return CompletableFuture.completedFuture(initial);
    }

    @Override
    public CompletableFuture<Versioned<PartitionState>> read(int partition) {
        Read read = new Read(partition, new CompletableFuture<>());
        reads.add(read);
        return read.reply();
    }

    @Override
    public CompletableFuture<Versioned<PartitionState>> compareAndSet(
            int partition, PartitionState next, int expectedVersion) {
        Write write = new Write(partition, next, expectedVersion, new CompletableFuture<>());
        writes.add(write);
        return write.reply();
    }

    @Override
    public CompletableFuture<Versioned<PartitionState>> claim(
            int partition, PartitionState next, int expectedVersion, String latchNodePath) {
        Write claim = new Write(partition, next, expectedVersion, new CompletableFuture<>());
        claims.add(claim);
        return claim.reply();
    }

    @Override
    public void watch(int partition, Consumer<Versioned<PartitionState>> listener) {
        watchers.add(listener);
    }

    /** Shows {@code seen} to every watcher, as the znode watch would. */
    void showWatchers(Versioned<PartitionState> seen) {
        watchers.forEach(w -> w.accept(seen));
    }

    Write nextWrite() throws InterruptedException {
        return taken(writes, "conditional write");
    }

    Write nextClaim() throws InterruptedException {
        return taken(claims, "epoch claim");
    }

    Read nextRead() throws InterruptedException {
        return taken(reads, "read");
    }

    /** The conditional write asked for, if any, without waiting. */
    Write pendingWrite() {
        return writes.poll();
    }

    boolean noWriteAsked() {
        return writes.isEmpty();
    }

    private static <T> T taken(BlockingQueue<T> queue, String what) throws InterruptedException {
        T next = queue.poll(5, TimeUnit.SECONDS);
        assertNotNull(next, "no " + what + " was asked for within 5 s");
        return next;
    }
}
