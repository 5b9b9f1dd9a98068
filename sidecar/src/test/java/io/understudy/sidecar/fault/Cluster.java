package io.understudy.sidecar.fault;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The fault harness: a three-server ZooKeeper ensemble and {@code n} sidecar members (child processes from the
 * jar), with the verbs the tests speak in. Logs go to {@code target/fault-logs/<run>/}; they are kept.
 */
final class Cluster implements AutoCloseable {
    private final ClusterSettings settings;
    private final Path logDir;
    private final ZkEnsemble zk;
    private final Map<String, SidecarProcess> members = new LinkedHashMap<>();
    private final Thread reaper = new Thread(this::close, "fault-cluster-reaper");

    private Cluster(ClusterSettings settings, String run) throws IOException {
        this.settings = settings;
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        this.logDir = Path.of("target/fault-logs", run + "-" + stamp).toAbsolutePath();
        Path workDir = Path.of("target/fault-work", run + "-" + stamp).toAbsolutePath();
        Files.createDirectories(logDir);
        this.zk = new ZkEnsemble(3, workDir, logDir);
        for (int i = 1; i <= settings.members(); i++) {
            String id = "node-" + i;
            members.put(id, new SidecarProcess(id, settings, zk.connect(), workDir, logDir));
        }
        // Children must not outlive a test JVM that dies or times out.
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Starts ZooKeeper and every member, and waits until each partition has a leader with a full ISR. */
    static Cluster start(ClusterSettings settings, String run) {
        Cluster cluster;
        try {
            cluster = new Cluster(settings, run);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            cluster.zk.start();
            cluster.members.values().forEach(m -> m.process().start());
            cluster.awaitSteady(Duration.ofSeconds(90));
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.printLogs();
            cluster.close();
            throw e;
        }
    }

    ClusterSettings settings() {
        return settings;
    }

    Path logDir() {
        return logDir;
    }

    List<String> ids() {
        return List.copyOf(members.keySet());
    }

    SidecarProcess member(String id) {
        SidecarProcess m = members.get(id);
        if (m == null) throw new IllegalArgumentException("no member " + id);
        return m;
    }

    List<SidecarProcess> members() {
        return List.copyOf(members.values());
    }

    /** Members whose process is running (paused ones included: their apps still send writes to them). */
    List<SidecarProcess> running() {
        return members.values().stream().filter(m -> m.process().isRunning()).toList();
    }

    Optional<JsonNode> status(String id) {
        return member(id).status();
    }

    /** The member that says it leads {@code partition} with the highest epoch among those answering, if any. */
    Optional<String> leader(int partition) {
        String best = null;
        long bestEpoch = -1;
        for (SidecarProcess m : members.values()) {
            Optional<JsonNode> p = m.status().map(s -> s.path("partitions").get(partition));
            if (p.isPresent()
                    && "leader".equals(p.get().path("role").asText())
                    && p.get().path("epoch").asLong() > bestEpoch) {
                best = m.id();
                bestEpoch = p.get().path("epoch").asLong();
            }
        }
        return Optional.ofNullable(best);
    }

    // ---- fault verbs

    void kill(String id) {
        member(id).process().kill();
    }

    /** SIGTERM, waiting for the graceful hand-over and exit. */
    void stop(String id) {
        member(id).process().stop(Duration.ofSeconds(20));
    }

    void restart(String id) {
        ChildProcess p = member(id).process();
        if (p.isRunning()) p.kill();
        p.start();
    }

    void pause(String id) {
        member(id).process().pause();
    }

    void resume(String id) {
        member(id).process().resume();
    }

    /** Cuts all peer traffic to {@code id} (its leader's appends, forwards to it); its ZooKeeper session stays. */
    void isolatePeer(String id) {
        member(id).proxy().cut();
    }

    void stopZk(int n) {
        zk.stop(n);
    }

    void startZk(int n) {
        zk.start(n);
    }

    /** Undoes every fault: resumes paused members, heals proxies, restarts ZooKeeper servers and members. */
    void heal() {
        for (SidecarProcess m : members.values()) {
            if (m.process().isPaused()) m.process().resume();
            m.proxy().heal();
        }
        zk.heal();
        for (SidecarProcess m : members.values())
            if (!m.process().isRunning()) m.process().start();
    }

    // ---- conditions

    /** Waits until every member answers and each partition has one leader, known to all, with a full ISR. */
    void awaitSteady(Duration atMost) {
        awaitOrExplain(
                "a steady cluster (every partition led, full ISR, all members agreeing)", atMost, this::isSteady);
    }

    boolean isSteady() {
        List<JsonNode> statuses = new ArrayList<>();
        for (SidecarProcess m : members.values()) {
            Optional<JsonNode> s = m.status();
            if (s.isEmpty()) return false;
            statuses.add(s.get());
        }
        for (int p = 0; p < settings.partitions(); p++) {
            Optional<String> leader = leader(p);
            if (leader.isEmpty()) return false;
            for (JsonNode s : statuses) {
                JsonNode part = s.path("partitions").get(p);
                if (!leader.get().equals(part.path("leader").asText())) return false;
                if (s.path("member").asText().equals(leader.get())
                        && part.path("isr").size() != members.size()) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Waits until, in every partition, every member has applied everything it holds and all hold the same: log
     * end == commit index == applied index, equal across members and equal to what each app recorded.
     */
    void awaitQuiescent(Duration atMost) {
        awaitOrExplain(
                "quiescence (logEnd == commitIndex == appliedIndex on every member, all equal)",
                atMost,
                this::isQuiescent);
    }

    boolean isQuiescent() {
        for (int p = 0; p < settings.partitions(); p++) {
            Long common = null;
            for (SidecarProcess m : members.values()) {
                Optional<JsonNode> s = m.status();
                if (s.isEmpty()) return false;
                JsonNode part = s.get().path("partitions").get(p);
                long end = part.path("logEnd").asLong();
                if (part.path("commitIndex").asLong() != end
                        || part.path("appliedIndex").asLong() != end) return false;
                if (m.app().appliedIndex(p) != end) return false;
                if (common != null && common != end) return false;
                common = end;
            }
        }
        return true;
    }

    private void awaitOrExplain(String what, Duration atMost, java.util.concurrent.Callable<Boolean> condition) {
        try {
            await(what)
                    .atMost(atMost)
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no " + what + " within " + atMost + "; statuses now:\n" + describe(), e);
        }
    }

    /** Every member's status, one line each, for failure messages. */
    String describe() {
        return members.values().stream()
                .map(m -> m.id() + (m.process().isRunning() ? (m.process().isPaused() ? " (paused)" : "") : " (down)")
                        + ": " + m.status().map(JsonNode::toString).orElse("no answer")
                        + " app applied " + appliedIndexes(m))
                .collect(Collectors.joining("\n"));
    }

    private String appliedIndexes(SidecarProcess m) {
        List<Long> applied = new ArrayList<>();
        for (int p = 0; p < settings.partitions(); p++) applied.add(m.app().appliedIndex(p));
        return applied.toString();
    }

    List<Path> logs() {
        return Stream.concat(
                        zk.logs().stream(),
                        members.values().stream().map(m -> m.process().logFile()))
                .toList();
    }

    void printLogs() {
        System.err.println("fault harness logs (kept): " + logDir);
        logs().forEach(p -> System.err.println("  " + p));
    }

    @Override
    public synchronized void close() {
        members.values().forEach(SidecarProcess::close);
        zk.close();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException ignored) {
            // already shutting down: this is the reaper itself running
        }
    }
}
