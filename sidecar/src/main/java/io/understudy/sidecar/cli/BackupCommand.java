package io.understudy.sidecar.cli;

import io.understudy.sidecar.backup.BackupManifest;
import io.understudy.sidecar.backup.BackupWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backup --api URL --out DIR}: a consistent, checksummed copy of the group's committed data, taken from any
 * member (docs/design.md, "Backup and restore"): per partition its latest stored snapshot and the committed log
 * after it, with {@code manifest.json}. Prints the index each partition's backup covers.
 */
@Command(
        name = "backup",
        description =
                "Copy the group's committed data (snapshot + log, checksummed) from a member into a new directory.")
final class BackupCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ApiOption api;

    @Option(names = "--out", required = true, description = "The directory to create (absent or empty).")
    private Path out;

    @Option(names = "--json", description = "Print the manifest as JSON.")
    private boolean json;

    @Override
    public Integer call() throws InterruptedException {
        Output output = new Output(spec, json);
        BackupManifest manifest;
        try {
            manifest = new BackupWriter(new HttpBackupSource(api.api), Clock.systemUTC()).write(out);
        } catch (IOException e) {
            return output.fail(new CommandFailure("backup failed, nothing written to " + out + ": " + e.getMessage()));
        }
        if (json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("out", out.toAbsolutePath().toString());
            body.put("manifest", manifest);
            List<Map<String, Object>> covered = new ArrayList<>();
            for (BackupManifest.PartitionBackup p : manifest.partitions()) {
                covered.add(Map.of("partition", p.partition(), "coveredIndex", p.coveredIndex()));
            }
            body.put("covered", covered);
            output.printJson(body);
            return 0;
        }
        for (BackupManifest.PartitionBackup p : manifest.partitions()) {
            String snapshot = p.snapshot() == null
                    ? "no snapshot"
                    : "snapshot at " + p.snapshot().index() + " ("
                            + p.snapshot().sizeBytes() + " bytes)";
            output.out()
                    .printf(
                            "partition %d: covers index %d (%s, log %d..%d, %d bytes)%n",
                            p.partition(),
                            p.coveredIndex(),
                            snapshot,
                            p.log().fromIndex(),
                            p.log().toIndex(),
                            p.log().sizeBytes());
        }
        output.out()
                .printf(
                        "backup of group %s from %s written to %s%n",
                        manifest.group(), manifest.member(), out.toAbsolutePath());
        output.out().flush();
        return 0;
    }
}
