package io.understudy.sidecar.coordination;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Reads a partition's epoch history, which {@link ZkPartitionStateStore} writes with every epoch claim: oldest
 * first. Blocking; for the operator's {@code history} command.
 */
public final class ZkEpochHistory {
    private final CuratorFramework client;
    private final ZkPaths paths;
    private final ObjectMapper json;

    public ZkEpochHistory(CuratorFramework client, ZkPaths paths, ObjectMapper json) {
        this.client = client;
        this.paths = paths;
        this.json = json;
    }

    /**
     * The partition's epoch records, oldest first, each with the time ZooKeeper created it.
     *
     * @throws CoordinationException when the partition has no history: no member of this version has started it
     */
    public List<EpochRecord> read(int partition) throws Exception {
        List<String> entries;
        try {
            entries = new ArrayList<>(client.getChildren().forPath(paths.history(partition)));
        } catch (KeeperException.NoNodeException e) {
            throw new CoordinationException(
                    "no epoch history at " + paths.history(partition) + ": check the group and partition, and that"
                            + " its members run a version that keeps one",
                    e);
        }
        entries.sort(null);
        List<EpochRecord> records = new ArrayList<>();
        for (String entry : entries) {
            Stat stat = new Stat();
            byte[] data;
            try {
                data = client.getData().storingStatIn(stat).forPath(paths.history(partition) + "/" + entry);
            } catch (KeeperException.NoNodeException trimmedMeanwhile) {
                continue; // a claim trimmed the oldest entries while we read
            }
            records.add(decode(data, entry).at(stat.getCtime()));
        }
        return records;
    }

    private EpochRecord decode(byte[] data, String entry) throws IOException {
        try {
            return json.readValue(data, EpochRecord.class);
        } catch (IOException e) {
            throw new IOException("unreadable epoch history entry " + entry + ": " + e.getMessage(), e);
        }
    }
}
