package io.understudy.sidecar.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.understudy.sidecar.config.ConfigException;
import io.understudy.sidecar.config.ConfigLoader;
import io.understudy.sidecar.config.SidecarConfig;
import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.log.DataDirectory;
import io.understudy.sidecar.log.FsyncPolicy;
import io.understudy.sidecar.log.SegmentedLog;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * After ZooKeeper lost a group's state, writes each partition's state back from one stopped member's data dir
 * (docs/design.md, "When ZooKeeper forgets the group"). Run it on the member with the most complete log (compare
 * the members' {@code --dry-run} lines: highest last epoch, then highest log end), then start the members.
 */
@Command(
        name = "recover-zookeeper",
        description = "After ZooKeeper lost the group's state: write it back from this stopped member's data dir.")
public final class RecoverZooKeeperCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "The stopped member's configuration file.")
    private Path config;

    @Option(names = "--dry-run", description = "Only print what this member holds and what would be written.")
    private boolean dryRun;

    @Option(names = "--json", description = "Print one JSON document: per partition what this member holds and did.")
    private boolean json;

    private final List<Map<String, Object>> report = new ArrayList<>();

    private final PrintStream out;
    private final SecureRandom random = new SecureRandom();
    private final ObjectMapper mapper =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public RecoverZooKeeperCommand() {
        this(System.out);
    }

    public RecoverZooKeeperCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        SidecarConfig loaded;
        try {
            loaded = ConfigLoader.load(config, System.getenv());
        } catch (ConfigException e) {
            return fail(e.getMessage(), 2);
        }
        try (DataDirectory dataDir = DataDirectory.openStopped(loaded.dataDir());
                PartitionStateZnodes zk = PartitionStateZnodes.connect(loaded)) {
            for (int p = 0; p < loaded.partitions(); p++) recover(p, loaded, dataDir, zk);
            if (json) out.println(mapper.writeValueAsString(Map.of("member", loaded.member(), "partitions", report)));
            else if (!dryRun) out.println("recover-zookeeper: done; start the members now (this one first)");
            return 0;
        } catch (CommandFailure e) {
            return fail(e.getMessage(), 1);
        } catch (IOException e) {
            return fail(e.getMessage() + " (stop the member before recovering)", 1);
        }
    }

    private void recover(int partition, SidecarConfig loaded, DataDirectory dataDir, PartitionStateZnodes zk)
            throws Exception {
        GroupStateRecovery member = memberData(partition, loaded, dataDir);
        PartitionState current = zk.read(partition);
        Optional<PartitionState> plan =
                member.plan(current, System.currentTimeMillis(), PartitionState.drawIncarnation(random));
        String holds = "partition " + partition + ": " + loaded.member() + " holds log end " + member.logEnd()
                + ", last epoch " + member.lastEpoch() + ", known epoch " + member.knownEpoch();
        if (plan.isEmpty()) {
            say(
                    partition,
                    member,
                    "none",
                    current.epoch(),
                    holds + "; ZooKeeper still holds this group's state (epoch " + current.epoch()
                            + "): nothing to recover");
            return;
        }
        if (dryRun) {
            say(
                    partition,
                    member,
                    "would-write",
                    plan.get().epoch(),
                    holds + "; would write epoch " + plan.get().epoch() + ", ISR [" + loaded.member() + "]");
            return;
        }
        zk.write(partition, plan.get());
        if (member.recordedIncarnation() == 0) {
            dataDir.durableLong("partition-" + partition + "/incarnation")
                    .set(plan.get().incarnation());
        }
        say(
                partition,
                member,
                "wrote",
                plan.get().epoch(),
                holds + "; wrote epoch " + plan.get().epoch() + ", ISR [" + loaded.member() + "]");
    }

    /** Reports what went wrong (as {@code {"error": ...}} with {@code --json}) and answers the exit code. */
    private int fail(String message, int exit) throws IOException {
        if (json) out.println(mapper.writeValueAsString(Map.of("error", message)));
        else System.err.println("understudy: " + message);
        return exit;
    }

    /** One partition's outcome: a line of text, or an element of the JSON report. */
    private void say(int partition, GroupStateRecovery member, String action, long epoch, String line) {
        if (!json) {
            out.println(line);
            return;
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("partition", partition);
        row.put("logEnd", member.logEnd());
        row.put("lastEpoch", member.lastEpoch());
        row.put("knownEpoch", member.knownEpoch());
        row.put("action", action);
        row.put("epoch", epoch);
        report.add(row);
    }

    private GroupStateRecovery memberData(int partition, SidecarConfig loaded, DataDirectory dataDir)
            throws IOException {
        try (SegmentedLog log = SegmentedLog.open(
                dataDir.partitionDir(partition),
                partition,
                FsyncPolicy.ALWAYS,
                loaded.replication().fsyncInterval(),
                SegmentedLog.DEFAULT_SEGMENT_BYTES)) {
            return new GroupStateRecovery(
                    loaded.member(),
                    dataDir.id(),
                    dataDir.durableLong("partition-" + partition + "/known-epoch")
                            .get(),
                    dataDir.durableLong("partition-" + partition + "/incarnation")
                            .get(),
                    log.logEnd(),
                    log.lastPosition().epoch());
        }
    }
}
