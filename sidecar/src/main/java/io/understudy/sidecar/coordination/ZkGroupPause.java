package io.understudy.sidecar.coordination;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link GroupPause} as a persistent znode ({@link ZkPaths#paused()}): the group is paused while it exists; it
 * holds {@code {"since": ms}}. A {@link CuratorCache} keeps the view current on every member.
 */
public final class ZkGroupPause implements GroupPause, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ZkGroupPause.class);

    private final CuratorFramework client;
    private final String path;
    private final Clock clock;
    private final Executor io;
    private final CuratorCache cache;

    public ZkGroupPause(CuratorFramework client, ZkPaths paths, Clock clock, Executor io) {
        this.client = client;
        this.path = paths.paused();
        this.clock = clock;
        this.io = io;
        this.cache = CuratorCache.build(client, path, CuratorCache.Options.SINGLE_NODE_CACHE);
    }

    public void start() {
        cache.listenable().addListener((type, before, after) -> log.info("group pause flag {}: {}", path, type));
        cache.start();
    }

    @Override
    public boolean paused() {
        return cache.get(path).isPresent();
    }

    @Override
    public CompletableFuture<Boolean> set(boolean paused) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        if (paused) {
                            byte[] since = ("{\"since\":" + clock.millis() + "}").getBytes(StandardCharsets.UTF_8);
                            client.create().creatingParentsIfNeeded().forPath(path, since);
                        } else {
                            client.delete().forPath(path);
                        }
                    } catch (KeeperException.NodeExistsException | KeeperException.NoNodeException already) {
                        // Paused (resumed) already: the flag is as asked.
                    } catch (Exception e) {
                        throw new CompletionException(new CoordinationException(
                                "cannot " + (paused ? "create " : "delete ") + path + ": " + e, e));
                    }
                    return paused;
                },
                io);
    }

    @Override
    public void close() {
        cache.close();
    }
}
