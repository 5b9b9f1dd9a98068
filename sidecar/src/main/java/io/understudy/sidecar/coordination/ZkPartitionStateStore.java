package io.understudy.sidecar.coordination;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PartitionStateStore} on ZooKeeper znodes holding JSON. Blocking Curator calls run on the given
 * executor so that callers (the partition loops) never wait on ZooKeeper.
 *
 * <p>Each epoch claim also writes an {@link EpochRecord} (a persistent sequential child of {@link
 * ZkPaths#history}) in the same transaction, so the history holds exactly the claims that won; after a claim the
 * oldest entries beyond {@link #HISTORY_KEPT} are deleted ({@link ZkEpochHistory} reads them).
 */
public final class ZkPartitionStateStore implements PartitionStateStore, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ZkPartitionStateStore.class);
    /** How many epoch records a partition's history keeps. */
    public static final int HISTORY_KEPT = 100;

    private final CuratorFramework client;
    private final ZkPaths paths;
    private final ObjectMapper json;
    private final Executor io;
    private final SecureRandom random = new SecureRandom();
    private final int historyKept;
    private final List<CuratorCache> caches = new ArrayList<>();

    public ZkPartitionStateStore(CuratorFramework client, ZkPaths paths, ObjectMapper json, Executor io) {
        this(client, paths, json, io, HISTORY_KEPT);
    }

    /** As the public constructor, keeping {@code historyKept} epoch records per partition (tests keep few). */
    ZkPartitionStateStore(CuratorFramework client, ZkPaths paths, ObjectMapper json, Executor io, int historyKept) {
        this.client = client;
        this.paths = paths;
        this.json = json;
        this.io = io;
        this.historyKept = historyKept;
    }

    @Override
    public CompletableFuture<Versioned<PartitionState>> initialize(int partition) {
        return call(() -> {
            try {
                client.create()
                        .creatingParentsIfNeeded()
                        .forPath(
                                paths.state(partition),
                                encode(PartitionState.newIncarnation(PartitionState.drawIncarnation(random))));
            } catch (KeeperException.NodeExistsException alreadyThere) {
                // Another member created it first: read what is there.
            }
            return readNow(partition);
        });
    }

    @Override
    public CompletableFuture<Versioned<PartitionState>> read(int partition) {
        return call(() -> readNow(partition));
    }

    @Override
    public CompletableFuture<Versioned<PartitionState>> compareAndSet(
            int partition, PartitionState next, int expectedVersion) {
        return call(() -> {
            try {
                Stat stat = client.setData().withVersion(expectedVersion).forPath(paths.state(partition), encode(next));
                return new Versioned<>(next, stat.getVersion());
            } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
                throw new StaleVersionException("partition " + partition + " state changed since version "
                        + expectedVersion + " was read (" + e.code() + ")");
            }
        });
    }

    @Override
    public CompletableFuture<Versioned<PartitionState>> claim(
            int partition, PartitionState next, int expectedVersion, String latchNodePath) {
        return call(() -> {
            if (latchNodePath == null) {
                throw new StaleVersionException("partition " + partition + ": no latch node to claim with");
            }
            ensureHistory(partition);
            CuratorOp latchStillThere = client.transactionOp().check().forPath(latchNodePath);
            CuratorOp bump = client.transactionOp()
                    .setData()
                    .withVersion(expectedVersion)
                    .forPath(paths.state(partition), encode(next));
            CuratorOp record = client.transactionOp()
                    .create()
                    .withMode(CreateMode.PERSISTENT_SEQUENTIAL)
                    .forPath(paths.historyEntryPrefix(partition), json.writeValueAsBytes(EpochRecord.of(next)));
            try {
                client.transaction().forOperations(latchStillThere, bump, record);
            } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
                throw new StaleVersionException(
                        "partition " + partition + ": epoch claim lost (" + e.code() + " on " + e.getPath() + ")");
            }
            pruneHistory(partition);
            return new Versioned<>(next, expectedVersion + 1);
        });
    }

    /**
     * Creates the history's parent unless it exists, before the claim's transaction creates an entry under it: a
     * missing parent would fail the claim as if it had lost.
     */
    private void ensureHistory(int partition) throws Exception {
        try {
            client.create().forPath(paths.history(partition));
        } catch (KeeperException.NodeExistsException alreadyThere) {
            // Created by an earlier claim.
        }
    }

    /**
     * Deletes the oldest history entries beyond {@code historyKept}. The claim has already won: a failure here
     * only leaves the history longer, so it is logged and the next claim tries again.
     */
    private void pruneHistory(int partition) {
        try {
            List<String> entries = new ArrayList<>(client.getChildren().forPath(paths.history(partition)));
            entries.sort(null);
            for (String old : entries.subList(0, Math.max(0, entries.size() - historyKept))) {
                client.delete().quietly().forPath(paths.history(partition) + "/" + old);
            }
        } catch (Exception e) {
            log.warn("[p{}] could not trim the epoch history in ZooKeeper (the next claim retries): {}", partition, e);
        }
    }

    @Override
    public void watch(int partition, Consumer<Versioned<PartitionState>> listener) {
        CuratorCache cache = CuratorCache.build(client, paths.state(partition), CuratorCache.Options.SINGLE_NODE_CACHE);
        cache.listenable()
                .addListener(CuratorCacheListener.builder()
                        .forCreatesAndChanges((oldNode, node) -> deliver(node, listener))
                        .forCreates(node -> deliver(node, listener))
                        .build());
        synchronized (caches) {
            caches.add(cache);
        }
        cache.start();
    }

    private void deliver(ChildData node, Consumer<Versioned<PartitionState>> listener) {
        if (node == null || node.getData() == null) return;
        try {
            listener.accept(
                    new Versioned<>(decode(node.getData()), node.getStat().getVersion()));
        } catch (IOException e) {
            throw new IllegalStateException("unreadable state znode " + node.getPath(), e);
        }
    }

    private Versioned<PartitionState> readNow(int partition) throws Exception {
        Stat stat = new Stat();
        byte[] data = client.getData().storingStatIn(stat).forPath(paths.state(partition));
        return new Versioned<>(decode(data), stat.getVersion());
    }

    private byte[] encode(PartitionState state) throws IOException {
        return json.writeValueAsBytes(state);
    }

    private PartitionState decode(byte[] data) throws IOException {
        return json.readValue(data, PartitionState.class);
    }

    private <T> CompletableFuture<T> call(ZkCall<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        io.execute(() -> {
            try {
                result.complete(call.run());
            } catch (CoordinationException e) {
                result.completeExceptionally(e);
            } catch (Exception e) {
                result.completeExceptionally(new CoordinationException("ZooKeeper call failed: " + e, e));
            }
        });
        return result;
    }

    @Override
    public void close() {
        synchronized (caches) {
            caches.forEach(CuratorCache::close);
            caches.clear();
        }
    }

    @FunctionalInterface
    private interface ZkCall<T> {
        T run() throws Exception;
    }
}
