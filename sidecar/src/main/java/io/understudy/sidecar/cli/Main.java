package io.understudy.sidecar.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar understudy-sidecar.jar <command>}. */
@Command(
        name = "understudy-sidecar.jar",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Understudy: a ZooKeeper-coordinated replication sidecar.",
        subcommands = {
            RunCommand.class,
            StatusCommand.class,
            BenchCommand.class,
            ZooKeeperCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    /** The jar's Implementation-Version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"understudy " + (version == null ? "dev" : version)};
        }
    }
}
