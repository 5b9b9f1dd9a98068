package io.understudy.sidecar.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.understudy.sidecar.config.SidecarConfig;
import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.coordination.ZkPaths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;

/**
 * A group's znodes as the offline commands ({@code recover-zookeeper}, {@code restore}) read and write them while the
 * members are stopped: each partition's state and the members registered.
 */
final class PartitionStateZnodes implements AutoCloseable {
    private final CuratorFramework zk;
    private final ZkPaths paths;
    private final ObjectMapper mapper =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private PartitionStateZnodes(CuratorFramework zk, ZkPaths paths) {
        this.zk = zk;
        this.paths = paths;
    }

    /** Connects to the member's ensemble for its group, or fails saying the ensemble must run first. */
    static PartitionStateZnodes connect(SidecarConfig config) throws CommandFailure, InterruptedException {
        CuratorFramework zk =
                CuratorFrameworkFactory.newClient(config.zookeeper().connect(), new ExponentialBackoffRetry(100, 3));
        zk.start();
        if (!zk.blockUntilConnected((int) config.zookeeper().connectionTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            zk.close();
            throw new CommandFailure(
                    "cannot reach ZooKeeper at " + config.zookeeper().connect() + ": start the ensemble first");
        }
        return new PartitionStateZnodes(zk, new ZkPaths(config.group()));
    }

    /** The partition's state, or null when ZooKeeper holds none. */
    PartitionState read(int partition) throws Exception {
        try {
            return mapper.readValue(zk.getData().forPath(paths.state(partition)), PartitionState.class);
        } catch (KeeperException.NoNodeException e) {
            return null;
        }
    }

    /** Writes the partition's state unconditionally (the members are stopped). */
    void write(int partition, PartitionState state) throws Exception {
        byte[] data = mapper.writeValueAsBytes(state);
        String path = paths.state(partition);
        try {
            zk.create().creatingParentsIfNeeded().forPath(path, data);
        } catch (KeeperException.NodeExistsException e) {
            zk.setData().forPath(path, data);
        }
    }

    /** The members registered now (their ephemeral nodes): a member that runs. */
    List<String> liveMembers() throws Exception {
        try {
            return zk.getChildren().forPath(paths.members());
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        }
    }

    String statePath(int partition) {
        return paths.state(partition);
    }

    @Override
    public void close() {
        zk.close();
    }
}
