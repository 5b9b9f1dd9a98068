package io.understudy.sidecar.cli;

import io.understudy.sidecar.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar understudy-sidecar.jar <command>}. */
@Command(
        name = "understudy-sidecar.jar",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT, // --help and --version on every command too
        versionProvider = Main.Version.class,
        description = "Understudy: a ZooKeeper-coordinated replication sidecar.",
        subcommands = {
            RunCommand.class,
            StatusCommand.class,
            ListCommand.class,
            HistoryCommand.class,
            CheckConfigCommand.class,
            BenchCommand.class,
            ZooKeeperCommand.class,
            RecoverZooKeeperCommand.class,
            SwitchoverCommand.class,
            BackupCommand.class,
            RestoreCommand.class,
            PauseCommand.Pause.class,
            PauseCommand.Resume.class,
            MemberCommand.Remove.class,
            MemberCommand.Add.class,
            CommandLine.HelpCommand.class
        })
public final class Main {
    private static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    public static void main(String[] args) {
        keepCompletionsOnPooledThreads();
        System.exit(new CommandLine(new Main()).execute(args));
    }

    /**
     * On a machine with 2 cores the common pool has one worker, and below two {@code CompletableFuture}'s async
     * stages (the JDK HTTP client completes peer answers with them) start a new thread per task: the profile of a
     * leader showed about 200 thread starts a second under load (docs/benchmarks.md). Two workers or more keep
     * those completions on pooled threads. Must run before anything touches the common pool.
     */
    static void keepCompletionsOnPooledThreads() {
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
            int workers = Math.max(2, Runtime.getRuntime().availableProcessors() - 1);
            System.setProperty(COMMON_POOL_PARALLELISM, Integer.toString(workers));
        }
    }

    /** The build's version and commit ({@link BuildInfo}). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {BuildInfo.current().describe("understudy-sidecar")};
        }
    }
}
