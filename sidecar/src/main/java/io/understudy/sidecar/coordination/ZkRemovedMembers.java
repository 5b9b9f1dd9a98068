package io.understudy.sidecar.coordination;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RemovedMembers} as one persistent znode per removed member under {@link ZkPaths#removed()}, holding
 * {@code {"removedAt": ms}}, and a {@link CuratorCache} of that folder on every member.
 */
public final class ZkRemovedMembers implements RemovedMembers {
    private static final Logger log = LoggerFactory.getLogger(ZkRemovedMembers.class);

    private final String me;
    private final CuratorFramework client;
    private final ZkPaths paths;
    private final Clock clock;
    private final Executor io;
    private final Duration loadWait;
    private final CuratorCache cache;
    private final Set<String> ids = ConcurrentHashMap.newKeySet();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** @param me this member's id, in front of every log line */
    public ZkRemovedMembers(
            String me, CuratorFramework client, ZkPaths paths, Clock clock, Executor io, Duration loadWait) {
        this.me = me;
        this.client = client;
        this.paths = paths;
        this.clock = clock;
        this.io = io;
        this.loadWait = loadWait;
        this.cache = CuratorCache.build(client, paths.removed());
    }

    @Override
    public void start() throws CoordinationException {
        try {
            client.createContainers(paths.removed());
            CountDownLatch initialized = new CountDownLatch(1);
            cache.listenable()
                    .addListener(CuratorCacheListener.builder()
                            .forCreates(data -> changed(data, true))
                            .forDeletes(data -> changed(data, false))
                            .forInitialized(initialized::countDown)
                            .build());
            cache.start();
            if (!initialized.await(loadWait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new CoordinationException(
                        "could not read " + paths.removed() + " within " + loadWait.toMillis() + " ms");
            }
        } catch (CoordinationException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoordinationException("interrupted while reading " + paths.removed(), e);
        } catch (Exception e) {
            throw new CoordinationException("cannot read " + paths.removed() + ": " + e, e);
        }
    }

    private void changed(ChildData data, boolean removed) {
        String id = paths.removedIdOf(data.getPath());
        if (id == null) return;
        boolean changed = removed ? ids.add(id) : ids.remove(id);
        if (!changed) return;
        log.info("[{}] member {} {}", me, id, removed ? "is removed from the group" : "is added back to the group");
        listeners.forEach(Runnable::run);
    }

    @Override
    public Set<String> ids() {
        return Set.copyOf(ids);
    }

    @Override
    public boolean contains(String id) {
        return ids.contains(id);
    }

    @Override
    public CompletableFuture<Boolean> mark(String id) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        byte[] data = ("{\"removedAt\":" + clock.millis() + "}").getBytes(StandardCharsets.UTF_8);
                        client.create().creatingParentContainersIfNeeded().forPath(paths.removedMember(id), data);
                        return true;
                    } catch (KeeperException.NodeExistsException already) {
                        return false;
                    } catch (Exception e) {
                        throw new CompletionException(
                                new CoordinationException("cannot create " + paths.removedMember(id) + ": " + e, e));
                    }
                },
                io);
    }

    @Override
    public CompletableFuture<Boolean> unmark(String id) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        client.delete().forPath(paths.removedMember(id));
                        return true;
                    } catch (KeeperException.NoNodeException notRemoved) {
                        return false;
                    } catch (Exception e) {
                        throw new CompletionException(
                                new CoordinationException("cannot delete " + paths.removedMember(id) + ": " + e, e));
                    }
                },
                io);
    }

    @Override
    public void addListener(Runnable onChange) {
        listeners.add(onChange);
    }

    @Override
    public void close() {
        cache.close();
    }
}
