package io.understudy.sidecar.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.understudy.sidecar.coordination.CoordinationException;
import io.understudy.sidecar.coordination.EpochRecord;
import io.understudy.sidecar.coordination.ZkEpochHistory;
import io.understudy.sidecar.coordination.ZkPaths;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code history}: the epochs of a partition and who led each, oldest first, from the history every epoch claim
 * writes to ZooKeeper (the last {@value io.understudy.sidecar.coordination.ZkPartitionStateStore#HISTORY_KEPT}).
 */
@Command(name = "history", description = "Show the epochs and leaders of a partition, from ZooKeeper.")
final class HistoryCommand implements Callable<Integer> {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--zookeeper",
            required = true,
            description = "ZooKeeper connect string, as the members' zookeeper.connect.")
    private String zookeeper;

    @Option(names = "--group", required = true, description = "The group, as the members' group key.")
    private String group;

    @Option(names = "--partition", defaultValue = "0", description = "The partition (default: ${DEFAULT-VALUE}).")
    private int partition;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        Output output = new Output(spec, json);
        Optional<String> unreachable = ZooKeeperProbe.unreachable(zookeeper, CONNECT_TIMEOUT);
        if (unreachable.isPresent()) {
            return output.fail(new CommandFailure(
                    unreachable.get().replace("(zookeeper.connect, zookeeper.connectionTimeoutMs)", "")
                            + ": is ZooKeeper running? check --zookeeper"));
        }
        List<EpochRecord> records;
        try (CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(zookeeper)
                .connectionTimeoutMs((int) CONNECT_TIMEOUT.toMillis())
                .retryPolicy(new RetryOneTime(500))
                .build()) {
            client.start();
            if (!client.blockUntilConnected((int) CONNECT_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
                return output.fail(new CommandFailure(
                        "cannot connect to ZooKeeper at " + zookeeper + ": is it running? check --zookeeper"));
            }
            records = new ZkEpochHistory(client, new ZkPaths(group), new ObjectMapper()).read(partition);
        } catch (CoordinationException e) {
            return output.fail(
                    new CommandFailure("group " + group + " partition " + partition + ": " + e.getMessage()));
        }
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("group", group);
            result.put("partition", partition);
            result.put("epochs", records);
            output.printJson(result);
            return 0;
        }
        TextTable table = new TextTable("Epoch", "Leader", "Claimed at", "ISR at claim");
        for (EpochRecord r : records) {
            table.row(r.epoch(), r.leader(), Instant.ofEpochMilli(r.at()), String.join(",", r.isr()));
        }
        table.print(output.out(), "Group: " + group + ", partition " + partition);
        return 0;
    }
}
