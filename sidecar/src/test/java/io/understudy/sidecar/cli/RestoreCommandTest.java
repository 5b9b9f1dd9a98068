package io.understudy.sidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.backup.BackupWriter;
import io.understudy.sidecar.backup.FakeBackupSource;
import io.understudy.sidecar.log.DataDirectory;
import io.understudy.sidecar.log.FsyncPolicy;
import io.understudy.sidecar.log.SegmentedLog;
import io.understudy.sidecar.testing.Cli;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code restore} refuses before it touches anything. No ZooKeeper runs: its address is one where none
 * answers, so a refusal that came only from ZooKeeper would read "cannot reach ZooKeeper".
 */
@Timeout(60)
class RestoreCommandTest {
    @TempDir
    Path root;

    private Path backup;
    private Path dataDir;

    @BeforeEach
    void takeBackup() throws Exception {
        backup = root.resolve("backup");
        dataDir = root.resolve("node-1");
        new BackupWriter(new FakeBackupSource(20, 20, 0), Clock.systemUTC()).write(backup);
    }

    @Test
    void aCorruptBackupIsRefusedAndNoDataDirIsCreated() throws Exception {
        try (FileChannel log = FileChannel.open(backup.resolve("partition-0.log"), StandardOpenOption.WRITE)) {
            log.truncate(log.size() - 1);
        }

        Cli.Result result = Cli.run("restore", "--config", config(1).toString(), "--from", backup.toString());

        assertEquals(1, result.exit());
        assertTrue(result.err().contains("is refused, nothing was changed"), result.err());
        assertTrue(result.err().contains("partition-0.log is damaged"), result.err());
        assertFalse(Files.exists(dataDir), "no data dir was created");
    }

    @Test
    void aDataDirThatHoldsEntriesIsRefusedAndKeepsThem() throws Exception {
        try (DataDirectory dir = DataDirectory.open(dataDir);
                SegmentedLog log = open(dir)) {
            log.append(List.of(FakeBackupSource.entry(1), FakeBackupSource.entry(2)));
            log.sync();
        }

        Cli.Result result = Cli.run("restore", "--config", config(1).toString(), "--from", backup.toString());

        assertEquals(1, result.exit());
        assertTrue(result.err().contains("already holds data (partition 0: log end 2"), result.err());
        assertTrue(result.err().contains("--force"), result.err());
        try (DataDirectory dir = DataDirectory.openStopped(dataDir);
                SegmentedLog log = open(dir)) {
            assertEquals(2, log.logEnd(), "the entries are kept");
        }
    }

    @Test
    void aBackupOfAnotherPartitionCountIsRefused() throws Exception {
        Cli.Result result = Cli.run("restore", "--config", config(2).toString(), "--from", backup.toString());

        assertEquals(1, result.exit());
        assertTrue(result.err().contains("set `partitions: 1`"), result.err());
        assertFalse(Files.exists(dataDir));
    }

    private Path config(int partitions) throws Exception {
        Path file = root.resolve("node-1.yaml");
        Files.writeString(file, """
                group: g
                member: node-1
                zookeeper: { connect: "127.0.0.1:1", connectionTimeoutMs: 200 }
                peer: { listen: "127.0.0.1:0", token: "t" }
                dataDir: "%s"
                partitions: %d
                """.formatted(dataDir, partitions));
        return file;
    }

    private static SegmentedLog open(DataDirectory dir) throws Exception {
        return SegmentedLog.open(
                dir.partitionDir(0), 0, FsyncPolicy.ALWAYS, Duration.ofMillis(100), SegmentedLog.DEFAULT_SEGMENT_BYTES);
    }
}
