package io.understudy.sidecar.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs a ZooKeeper server with ZooKeeper's own {@link ZooKeeperServerEmbedded}: standalone, or one server of an
 * ensemble with {@code --id} and {@code --servers}. Clients reach it on loopback only unless {@code --listen} says
 * otherwise. For demos, tests and trying things out; production runs a regular ZooKeeper ensemble.
 */
@Command(
        name = "zookeeper",
        description = "Run an embedded ZooKeeper server (standalone or one server of an ensemble).")
final class ZooKeeperCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "2181", description = "Client port (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(
            names = "--listen",
            defaultValue = "127.0.0.1",
            description = "The address clients connect to (default: ${DEFAULT-VALUE}, this machine only; "
                    + "0.0.0.0 for every interface).")
    private String listen;

    @Option(names = "--dir", required = true, description = "Data directory.")
    private Path dir;

    @Option(names = "--id", description = "This server's id in the ensemble (with --servers).")
    private Integer id;

    @Option(
            names = "--servers",
            split = ",",
            description = "Every server of the ensemble as host:quorumPort:electionPort, in id order (1, 2, ...).")
    private List<String> servers;

    @Option(names = "--tick-ms", defaultValue = "500", description = "ZooKeeper tickTime (default: ${DEFAULT-VALUE}).")
    private int tickMs;

    @Override
    public Integer call() throws Exception {
        Path dataDir = dir.toAbsolutePath().resolve("data");
        Files.createDirectories(dataDir);
        Properties props = new Properties();
        props.setProperty("clientPort", Integer.toString(port));
        props.setProperty("clientPortAddress", listen);
        props.setProperty("dataDir", dataDir.toString());
        props.setProperty("tickTime", Integer.toString(tickMs));
        props.setProperty("initLimit", "10");
        props.setProperty("syncLimit", "5");
        props.setProperty("minSessionTimeout", Integer.toString(2 * tickMs));
        props.setProperty("admin.enableServer", "false");
        props.setProperty("4lw.commands.whitelist", "ruok,srvr,stat,mntr");
        if (servers != null && !servers.isEmpty()) {
            if (id == null) {
                System.err.println("understudy: --servers needs --id");
                return 2;
            }
            for (int i = 0; i < servers.size(); i++) props.setProperty("server." + (i + 1), servers.get(i));
            Files.writeString(dataDir.resolve("myid"), id + "\n");
        }
        ZooKeeperServerEmbedded server = ZooKeeperServerEmbedded.builder()
                .baseDir(dir.toAbsolutePath())
                .configuration(props)
                .exitHandler(ExitHandler.LOG_ONLY)
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "zookeeper-shutdown"));
        server.start();
        System.out.println(
                "ZooKeeper serving clients on " + listen + ":" + port + (id == null ? "" : " as server " + id));
        stopped.await();
        return 0;
    }
}
