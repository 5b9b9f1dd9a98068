package io.understudy.sidecar.coordination;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Membership} as an ephemeral znode per member (kept alive and recreated by Curator's
 * {@link PersistentNode}) plus a cache of the members folder: the shape of Curator's {@code GroupMember}.
 */
public final class ZkMembership implements Membership {
    private static final Logger log = LoggerFactory.getLogger(ZkMembership.class);

    private final CuratorFramework client;
    private final ZkPaths paths;
    private final ObjectMapper json;
    private final Duration staleNodeWait;
    private final Map<String, MemberInfo> live = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final CuratorCache cache;
    private final CountDownLatch selfSeen = new CountDownLatch(1);
    private volatile PersistentNode node;
    private volatile String selfId;
    /** Set once no znode of a previous session is left: from then on our id's znode is our own. */
    private volatile boolean registered;

    public ZkMembership(CuratorFramework client, ZkPaths paths, ObjectMapper json, Duration staleNodeWait) {
        this.client = client;
        this.paths = paths;
        this.json = json;
        this.staleNodeWait = staleNodeWait;
        this.cache = CuratorCache.build(client, paths.members());
    }

    /**
     * Loads the view of the other members first, then waits out a znode left by a previous session of this member
     * (a process killed with {@code kill -9} leaves it until that session expires), and only then registers. Until
     * then this member's own entry is left out of the view: the stale znode still names the previous process's
     * data dir id and peer URL, and nothing here may act on it. Returns once the view holds this member's own new
     * znode, so that callers can serve peers with a view that is complete.
     */
    @Override
    public void start(MemberInfo self) throws CoordinationException {
        try {
            selfId = self.id();
            client.createContainers(paths.members());
            CountDownLatch initialized = new CountDownLatch(1);
            cache.listenable()
                    .addListener(CuratorCacheListener.builder()
                            .forCreatesAndChanges((before, after) -> upsert(after))
                            .forDeletes(this::remove)
                            .forInitialized(initialized::countDown)
                            .build());
            cache.start();
            if (!initialized.await(staleNodeWait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new CoordinationException(
                        "could not read " + paths.members() + " within " + staleNodeWait.toMillis() + " ms");
            }
            waitOutStaleNode(self.id());
            registered = true;
            PersistentNode ours =
                    new PersistentNode(client, CreateMode.EPHEMERAL, false, paths.member(self.id()), encode(self));
            ours.start();
            node = ours;
            if (!ours.waitForInitialCreate(staleNodeWait.toMillis(), TimeUnit.MILLISECONDS)
                    || !selfSeen.await(staleNodeWait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new CoordinationException(
                        "could not create " + paths.member(self.id()) + " within " + staleNodeWait.toMillis() + " ms");
            }
        } catch (CoordinationException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoordinationException("interrupted while registering", e);
        } catch (Exception e) {
            throw new CoordinationException("cannot register member " + self.id() + ": " + e, e);
        }
    }

    /**
     * A member restarted within its old session's timeout finds its old ephemeral znode still there. Taking it
     * over would let it vanish under us when that session expires, so wait for it to go first.
     */
    private void waitOutStaleNode(String id) throws Exception {
        long deadline = System.nanoTime() + staleNodeWait.toNanos();
        long ourSession = client.getZookeeperClient().getZooKeeper().getSessionId();
        while (true) {
            Stat stat = client.checkExists().forPath(paths.member(id));
            if (stat == null || stat.getEphemeralOwner() == ourSession) return;
            if (System.nanoTime() > deadline) {
                throw new CoordinationException("member id '" + id + "' is taken: " + paths.member(id)
                        + " belongs to another live session (is another sidecar running with member: " + id + "?)");
            }
            log.info("[{}] waiting for the znode of a previous session to expire", id);
            CountDownLatch gone = new CountDownLatch(1);
            Stat still = client.checkExists()
                    .usingWatcher((org.apache.zookeeper.Watcher) e -> gone.countDown())
                    .forPath(paths.member(id));
            if (still != null) gone.await(500, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void update(MemberInfo self) {
        PersistentNode ours = node;
        if (ours == null) return;
        try {
            ours.setData(encode(self));
        } catch (Exception e) {
            log.warn("[{}] heartbeat not written: {}", self.id(), e.toString());
        }
    }

    @Override
    public Map<String, MemberInfo> live() {
        return Map.copyOf(live);
    }

    @Override
    public void addListener(Runnable onChange) {
        listeners.add(onChange);
    }

    private void upsert(ChildData data) {
        String id = paths.memberIdOf(data.getPath());
        if (id == null || data.getData() == null || data.getData().length == 0) return;
        boolean self = id.equals(selfId);
        if (self && !registered) return; // the znode of a previous session of this member
        try {
            live.put(id, json.readValue(data.getData(), MemberInfo.class));
            if (self) selfSeen.countDown();
        } catch (IOException e) {
            log.warn("ignoring unreadable member znode {}: {}", data.getPath(), e.toString());
            return;
        }
        listeners.forEach(Runnable::run);
    }

    private void remove(ChildData data) {
        String id = paths.memberIdOf(data.getPath());
        if (id != null && live.remove(id) != null) listeners.forEach(Runnable::run);
    }

    private byte[] encode(MemberInfo info) throws IOException {
        return json.writeValueAsBytes(info);
    }

    @Override
    public void close() {
        PersistentNode ours = node;
        node = null;
        if (ours != null) {
            try {
                ours.close();
            } catch (IOException e) {
                log.warn("closing member znode: {}", e.toString());
            }
        }
        cache.close();
    }
}
