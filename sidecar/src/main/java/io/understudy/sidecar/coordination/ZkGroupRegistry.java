package io.understudy.sidecar.coordination;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/** {@link GroupRegistry} on the group's config znode (JSON). */
public final class ZkGroupRegistry implements GroupRegistry {
    private final CuratorFramework client;
    private final ZkPaths paths;
    private final ObjectMapper json;

    public ZkGroupRegistry(CuratorFramework client, ZkPaths paths, ObjectMapper json) {
        this.client = client;
        this.paths = paths;
        this.json = json;
    }

    @Override
    public GroupSettings agree(GroupSettings mine) throws CoordinationException {
        try {
            try {
                client.create().creatingParentsIfNeeded().forPath(paths.config(), json.writeValueAsBytes(mine));
                return mine;
            } catch (KeeperException.NodeExistsException alreadyThere) {
                GroupSettings theirs = json.readValue(client.getData().forPath(paths.config()), GroupSettings.class);
                if (theirs.partitions() != mine.partitions()) {
                    throw disagreement("partitions", theirs.partitions(), mine.partitions());
                }
                if (theirs.minInSync() != mine.minInSync()) {
                    throw disagreement("replication.minInSync", theirs.minInSync(), mine.minInSync());
                }
                return theirs;
            }
        } catch (CoordinationException e) {
            throw e;
        } catch (Exception e) {
            throw new CoordinationException("cannot read or write " + paths.config() + ": " + e, e);
        }
    }

    private CoordinationException disagreement(String key, Object theirs, Object mine) {
        return new CoordinationException("config key '" + key + "' is " + mine + " here but the group's "
                + paths.config() + " says " + theirs + "; every member must agree (change this member's "
                + "config, or delete the znode when the whole group is stopped)");
    }
}
