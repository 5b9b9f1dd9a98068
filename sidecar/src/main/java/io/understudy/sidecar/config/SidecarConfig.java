package io.understudy.sidecar.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything one sidecar needs to start, as checked by {@link ConfigLoader}. Build it with the loader; the
 * constructor only refuses nulls.
 *
 * @param group the replicated service this member belongs to (ZooKeeper root {@code /understudy/<group>})
 * @param member this member's stable id within the group
 * @param dataDir where the partition logs live
 * @param partitions how many partitions the group has (every member must agree)
 * @param log segment size and retention of each partition's log
 */
public record SidecarConfig(
        String group,
        String member,
        ZooKeeperConfig zookeeper,
        ApiConfig api,
        PeerConfig peer,
        AppConfig app,
        Path dataDir,
        int partitions,
        ReplicationConfig replication,
        LogConfig log) {

    /** A config with the log's defaults. */
    public SidecarConfig(
            String group,
            String member,
            ZooKeeperConfig zookeeper,
            ApiConfig api,
            PeerConfig peer,
            AppConfig app,
            Path dataDir,
            int partitions,
            ReplicationConfig replication) {
        this(group, member, zookeeper, api, peer, app, dataDir, partitions, replication, LogConfig.DEFAULTS);
    }

    public SidecarConfig {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(zookeeper, "zookeeper");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(replication, "replication");
        Objects.requireNonNull(log, "log");
    }
}
