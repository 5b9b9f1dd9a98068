package io.understudy.sidecar.cli;

import io.understudy.sidecar.FatalErrors;
import io.understudy.sidecar.Sidecar;
import io.understudy.sidecar.config.ConfigException;
import io.understudy.sidecar.config.ConfigLoader;
import io.understudy.sidecar.config.SidecarConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs one agent until SIGTERM or SIGINT, which hand its leaderships over before it exits. */
@Command(name = "run", description = "Run one sidecar agent.")
final class RunCommand implements Callable<Integer> {
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
        FatalErrors fatal = FatalErrors.halting(loaded.member());
        Thread.setDefaultUncaughtExceptionHandler(fatal);
        Sidecar sidecar;
        try {
            sidecar = new Sidecar(loaded, Clock.systemUTC(), fatal);
        } catch (java.io.IOException e) {
            System.err.println("understudy: cannot open data dir " + loaded.dataDir() + ": " + e.getMessage());
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
        } catch (Exception e) {
            System.err.println("understudy: cannot start: " + e.getMessage());
            return 1;
        }
        stopped.await();
        return 0;
    }
}
