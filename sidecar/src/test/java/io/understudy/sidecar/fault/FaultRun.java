package io.understudy.sidecar.fault;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * One fault run, shared by the suite and the soak: a cluster, the workload running throughout, the nemesis
 * injecting rounds of faults (by default every kind once per round, in seeded random order) until {@code minDuration} has
 * passed and at least one round is done, then heal, quiescence and the checker. Returns the report; fails on any
 * violation, printing the report and the log paths first.
 */
final class FaultRun {
    private FaultRun() {}

    static FaultReport run(String suite, ClusterSettings settings, Duration minDuration) {
        return run(suite, settings, minDuration, Nemesis::shuffledRound);
    }

    /** The same with a chosen round of faults ({@code round} is asked for the next round until time is up). */
    static FaultReport run(
            String suite, ClusterSettings settings, Duration minDuration, Function<Nemesis, List<FaultKind>> round) {
        long seed = Nemesis.seed(suite);
        long started = System.nanoTime();
        try (Cluster cluster = Cluster.start(settings, suite + "-" + seed)) {
            try (Workload workload = Workload.standard(cluster, minDuration.plusMinutes(10), seed)) {
                Nemesis nemesis = new Nemesis(cluster, workload, seed);
                workload.start();
                long until = started + minDuration.toNanos();
                do {
                    for (FaultKind kind : round.apply(nemesis)) nemesis.inject(kind);
                } while (System.nanoTime() < until);
                cluster.heal();
                cluster.awaitSteady(Duration.ofSeconds(60));
                workload.stop();
                cluster.awaitQuiescent(Duration.ofSeconds(60));
                List<WriteRecord> writes = workload.records();
                Checker.Result result = Checker.check(cluster, writes, nemesis.injected());
                FaultReport report = new FaultReport(
                        suite,
                        seed,
                        Duration.ofNanos(System.nanoTime() - started),
                        result,
                        nemesis.injected(),
                        workload,
                        cluster.logDir());
                System.out.println(report.text());
                assertTrue(
                        result.violations().isEmpty(),
                        () -> "safety violations (seed " + seed + "):\n" + report.text());
                assertTrue(result.ackedSync() > 0, "the workload got no sync write acknowledged at all");
                return report;
            } catch (RuntimeException | Error e) {
                cluster.printLogs();
                throw e;
            }
        }
    }
}
