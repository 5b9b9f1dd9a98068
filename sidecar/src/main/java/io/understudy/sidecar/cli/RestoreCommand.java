package io.understudy.sidecar.cli;

import io.understudy.sidecar.backup.BackupManifest;
import io.understudy.sidecar.backup.BackupVerifier;
import io.understudy.sidecar.backup.DataDirSeeder;
import io.understudy.sidecar.backup.VerifiedBackup;
import io.understudy.sidecar.config.ConfigException;
import io.understudy.sidecar.config.ConfigLoader;
import io.understudy.sidecar.config.SidecarConfig;
import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.log.DataDirectory;
import io.understudy.sidecar.log.FsyncPolicy;
import io.understudy.sidecar.log.Position;
import io.understudy.sidecar.log.SegmentedLog;
import io.understudy.sidecar.snapshot.FileSnapshotStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code restore --config FILE --from DIR}: seeds a stopped member's data dir from a backup and writes the group's
 * partition state into ZooKeeper with this member alone in the ISR under a new incarnation, so that it starts the
 * group and the other members, started empty, catch up from it (docs/design.md, "Backup and restore"). Checks every
 * file of the backup before touching anything; refuses a data dir that holds data (unless {@code --force}), a group
 * whose members run, and a group ZooKeeper still holds state for (unless {@code --replace-group-state}).
 */
@Command(
        name = "restore",
        description = "Seed this stopped member from a backup and make it the group's sole in-sync member.")
final class RestoreCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--config", required = true, description = "The stopped member's configuration file.")
    private Path config;

    @Option(names = "--from", required = true, description = "The backup directory (as `backup --out` wrote it).")
    private Path from;

    @Option(names = "--force", description = "Delete what the member's data dir holds and restore over it.")
    private boolean force;

    @Option(
            names = "--replace-group-state",
            description = "Replace the state ZooKeeper still holds for the group (its members must be stopped).")
    private boolean replaceGroupState;

    @Option(names = "--json", description = "Print one JSON document: per partition what was restored.")
    private boolean json;

    private final SecureRandom random = new SecureRandom();

    @Override
    public Integer call() throws Exception {
        Output output = new Output(spec, json);
        SidecarConfig loaded;
        try {
            loaded = ConfigLoader.load(config, System.getenv());
        } catch (ConfigException e) {
            output.fail(new CommandFailure(e.getMessage()));
            return 2;
        }
        DataDirectory dataDir = null;
        try {
            VerifiedBackup backup = verified(loaded);
            dataDir = openExisting(loaded.dataDir()); // a running member holds its lock: refused here
            DataDirSeeder seeder = dataDir == null ? null : seeder(loaded, dataDir);
            List<String> held = seeder == null ? List.of() : seeder.heldData(loaded.partitions());
            if (!held.isEmpty() && !force) {
                throw new CommandFailure("data dir " + dataDir.path() + " already holds data ("
                        + String.join("; ", held) + "): restore into an empty data dir, or pass --force to delete"
                        + " what it holds; nothing was changed");
            }
            List<Map<String, Object>> restored;
            try (PartitionStateZnodes zk = PartitionStateZnodes.connect(loaded)) {
                List<PartitionState> current = refuseLiveGroup(loaded, zk);
                if (dataDir == null) {
                    dataDir = DataDirectory.open(loaded.dataDir());
                    seeder = seeder(loaded, dataDir);
                }
                if (!held.isEmpty()) seeder.wipe(loaded.partitions());
                seed(seeder, dataDir, backup);
                restored = writeGroupState(loaded, dataDir, backup, current, zk);
            }
            report(output, loaded, restored);
            return 0;
        } catch (CommandFailure e) {
            return output.fail(e);
        } catch (IOException e) {
            return output.fail(new CommandFailure("restore failed: " + e.getMessage()));
        } finally {
            if (dataDir != null) dataDir.close();
        }
    }

    private VerifiedBackup verified(SidecarConfig loaded) throws CommandFailure {
        VerifiedBackup backup;
        try {
            backup = BackupVerifier.verify(from);
        } catch (IOException e) {
            throw new CommandFailure("the backup in " + from + " is refused, nothing was changed: " + e.getMessage());
        }
        int partitions = backup.manifest().partitions().size();
        if (partitions != loaded.partitions()) {
            throw new CommandFailure(
                    "the backup holds " + partitions + " partitions, " + config + " configures " + loaded.partitions()
                            + ": set `partitions: " + partitions + "` to restore it; nothing was changed");
        }
        return backup;
    }

    /** The state ZooKeeper holds per partition (null where none), once it is clear that nothing of it runs. */
    private List<PartitionState> refuseLiveGroup(SidecarConfig loaded, PartitionStateZnodes zk) throws Exception {
        List<String> live = zk.liveMembers();
        if (!live.isEmpty()) {
            throw new CommandFailure("members " + live + " of group " + loaded.group() + " are running: stop every"
                    + " member of the group before restoring; nothing was changed");
        }
        List<PartitionState> current = new ArrayList<>();
        for (int p = 0; p < loaded.partitions(); p++) {
            PartitionState state = zk.read(p);
            if (state != null && !replaceGroupState) {
                throw new CommandFailure("ZooKeeper still holds group " + loaded.group() + " (partition " + p
                        + " at epoch " + state.epoch() + ", ISR " + state.isrMemberIds() + "): a restore replaces"
                        + " that group's data. To restore into a new group, set another `group` in " + config
                        + "; to replace this one, pass --replace-group-state (or delete "
                        + zk.statePath(p).replaceAll("/partitions/.*", "") + "). Nothing was changed");
            }
            current.add(state);
        }
        return current;
    }

    /** The member's data dir, locked, or null when there is none yet. */
    private static DataDirectory openExisting(Path dir) throws CommandFailure {
        if (!Files.exists(dir.resolve("id"))) return null;
        try {
            return DataDirectory.openStopped(dir);
        } catch (IOException e) {
            throw new CommandFailure(e.getMessage() + ": stop the member before restoring into it");
        }
    }

    private static DataDirSeeder seeder(SidecarConfig loaded, DataDirectory dataDir) {
        return new DataDirSeeder(
                dataDir,
                new FileSnapshotStore(dataDir),
                p -> SegmentedLog.open(
                        dataDir.partitionDir(p),
                        p,
                        FsyncPolicy.ALWAYS,
                        loaded.replication().fsyncInterval(),
                        SegmentedLog.DEFAULT_SEGMENT_BYTES));
    }

    private static void seed(DataDirSeeder seeder, DataDirectory dataDir, VerifiedBackup backup)
            throws IOException, CommandFailure {
        try {
            seeder.seed(backup);
        } catch (UnsupportedOperationException e) {
            throw new CommandFailure("this build's log cannot continue from a snapshot (" + e.getMessage() + "):"
                    + " restore this backup with a release that has the bounded log; " + dataDir.path()
                    + " may hold a partial restore, rerun with --force");
        }
    }

    private List<Map<String, Object>> writeGroupState(
            SidecarConfig loaded,
            DataDirectory dataDir,
            VerifiedBackup backup,
            List<PartitionState> current,
            PartitionStateZnodes zk)
            throws Exception {
        BackupManifest manifest = backup.manifest();
        String what = "the backup of group " + manifest.group() + " taken from " + manifest.member() + " at "
                + manifest.createdAt();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (BackupManifest.PartitionBackup p : manifest.partitions()) {
            int partition = p.partition();
            Position last = backup.lastPositions().get(partition);
            long epoch = Math.max(
                    last.epoch(),
                    current.get(partition) == null ? 0 : current.get(partition).epoch());
            PartitionState state = new GroupStateRecovery(
                            loaded.member(), dataDir.id(), epoch, 0, p.coveredIndex(), last.epoch())
                    .restored(System.currentTimeMillis(), PartitionState.drawIncarnation(random), what);
            dataDir.durableLong(DataDirSeeder.knownEpochFile(partition)).set(epoch);
            zk.write(partition, state);
            dataDir.durableLong(DataDirSeeder.incarnationFile(partition)).set(state.incarnation());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("partition", partition);
            row.put("coveredIndex", p.coveredIndex());
            row.put("snapshotIndex", p.snapshot() == null ? null : p.snapshot().index());
            row.put("epoch", epoch);
            row.put("isr", List.of(loaded.member()));
            rows.add(row);
        }
        return rows;
    }

    private void report(Output output, SidecarConfig loaded, List<Map<String, Object>> rows) {
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("member", loaded.member());
            body.put("group", loaded.group());
            body.put("from", from.toAbsolutePath().toString());
            body.put("partitions", rows);
            output.printJson(body);
            return;
        }
        for (Map<String, Object> row : rows) {
            output.out()
                    .printf(
                            "partition %s: restored up to index %s, epoch %s, ISR [%s]%n",
                            row.get("partition"), row.get("coveredIndex"), row.get("epoch"), loaded.member());
        }
        output.out()
                .println("restore: done; start " + loaded.member() + ", then the other members with empty data dirs");
        output.out().flush();
    }
}
