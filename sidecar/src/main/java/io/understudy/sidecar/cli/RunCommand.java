package io.understudy.sidecar.cli;

import io.understudy.sidecar.FatalErrors;
import io.understudy.sidecar.Sidecar;
import io.understudy.sidecar.config.ConfigException;
import io.understudy.sidecar.config.ConfigLoader;
import io.understudy.sidecar.config.ConfigWarnings;
import io.understudy.sidecar.config.SidecarConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs one agent until SIGTERM or SIGINT, which hand its leaderships over before it exits. A start that fails
 * ends with one line saying why and exit code 2 for a config that cannot be used (a bad key, a listen address in
 * use), 1 for anything else (ZooKeeper unreachable, the data dir).
 */
@Command(name = "run", description = "Run one sidecar agent.")
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Option(
            names = "--config",
            required = true,
            description = "The sidecar.yaml file (UNDERSTUDY_* variables override it).")
    private Path config;

    @Override
    public Integer call() throws Exception {
        SidecarConfig loaded;
        try {
            loaded = ConfigLoader.load(config, System.getenv());
        } catch (ConfigException e) {
            System.err.println("understudy: " + e.getMessage());
            return 2;
        }
        String member = loaded.member();
        log.info(
                "[{}] starting in group {}: ZooKeeper {}, api.listen {}, peer.listen {}",
                member,
                loaded.group(),
                loaded.zookeeper().connect(),
                loaded.api().listen(),
                loaded.peer().listen());
        for (String warning : ConfigWarnings.of(loaded)) log.warn("[{}] {}", member, warning);
        FatalErrors fatal = FatalErrors.halting(member);
        Thread.setDefaultUncaughtExceptionHandler(fatal);
        Optional<String> unreachable = ZooKeeperProbe.unreachable(
                loaded.zookeeper().connect(), loaded.zookeeper().connectionTimeout());
        if (unreachable.isPresent()) {
            log.error("[{}] cannot start: {}", member, unreachable.get());
            return 1;
        }
        Sidecar sidecar;
        try {
            sidecar = new Sidecar(loaded, Clock.systemUTC(), fatal);
        } catch (java.io.IOException e) {
            log.error("[{}] cannot start: cannot open data dir {}: {}", member, loaded.dataDir(), e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            sidecar.close();
                            stopped.countDown();
                        },
                        "shutdown"));
        try {
            sidecar.start();
        } catch (ConfigException e) {
            log.error("[{}] cannot start: {}", member, e.getMessage());
            return 2;
        } catch (Exception e) {
            log.error("[{}] cannot start: {}", member, e.getMessage());
            return 1;
        }
        stopped.await();
        return 0;
    }
}
