package io.understudy.sidecar.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * One child JVM running the sidecar jar, its output appended to a log file that survives restarts. The fault
 * verbs are the signals: {@link #kill()} is {@code kill -9}, {@link #stop()} is SIGTERM, {@link #pause()} and
 * {@link #resume()} are SIGSTOP and SIGCONT.
 */
final class ChildProcess implements AutoCloseable {
    private final String name;
    private final List<String> command;
    private final Path logFile;
    private Process process;
    private boolean paused;

    ChildProcess(String name, List<String> jarArgs, Path logFile) {
        this(name, List.of(), jarArgs, logFile);
    }

    /** @param jvmArgs extra JVM options after the defaults (a later {@code -Xmx} wins) */
    ChildProcess(String name, List<String> jvmArgs, List<String> jarArgs, Path logFile) {
        this.name = name;
        this.logFile = logFile;
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small, quick-starting JVMs: six of them share two cores with the test.
        cmd.addAll(List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-jar", FaultJar.path().toString()));
        cmd.addAll(jarArgs);
        this.command = List.copyOf(cmd);
    }

    synchronized void start() {
        if (isRunning()) throw new IllegalStateException(name + " is already running");
        try {
            Files.createDirectories(logFile.getParent());
            Files.writeString(
                    logFile,
                    "==== " + java.time.Instant.now() + " starting " + name + "\n",
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            paused = false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    synchronized boolean isPaused() {
        return paused && isRunning();
    }

    synchronized long pid() {
        return process.pid();
    }

    /** {@code kill -9}: no shutdown hook, no hand-over. */
    synchronized void kill() {
        if (process == null) return;
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
        paused = false;
    }

    /** SIGTERM, then waits for the process to exit (the graceful path). */
    synchronized void stop(Duration patience) {
        if (process == null || !process.isAlive()) return;
        if (paused) resume();
        process.destroy();
        if (!awaitExit(patience)) {
            throw new AssertionError(name + " did not exit within " + patience + " of SIGTERM; see " + logFile);
        }
    }

    synchronized void pause() {
        signal("-STOP");
        paused = true;
    }

    synchronized void resume() {
        signal("-CONT");
        paused = false;
    }

    /** Waits up to {@code patience} for the process to end on its own: its exit code, or empty while it runs. */
    synchronized OptionalInt awaitExitCode(Duration patience) {
        if (process == null) throw new IllegalStateException(name + " was never started");
        return awaitExit(patience) ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
    }

    Path logFile() {
        return logFile;
    }

    String name() {
        return name;
    }

    private boolean awaitExit(Duration patience) {
        try {
            return process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void signal(String signal) {
        if (!isRunning()) throw new IllegalStateException(name + " is not running");
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid()))
                    .inheritIO()
                    .start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + name, e);
        }
    }

    @Override
    public synchronized void close() {
        if (process == null) return;
        if (paused && process.isAlive()) {
            try {
                resume();
            } catch (RuntimeException ignored) {
                // SIGKILL below ends a stopped process too; resuming first only keeps its log tidy.
            }
        }
        kill();
    }
}
