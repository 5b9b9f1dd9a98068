package io.understudy.sidecar.fault;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The closing block of a fault run: counts, losses, failover per fault and per kind. Printed and kept on disk. */
final class FaultReport {
    private final String text;
    private final Map<FaultKind, List<Long>> failoverMillis;

    FaultReport(
            String suite,
            long seed,
            Duration wall,
            Checker.Result result,
            List<FaultRecord> faults,
            Workload workload,
            Path logDir) {
        failoverMillis = new EnumMap<>(FaultKind.class);
        StringBuilder b = new StringBuilder();
        b.append("==== Understudy fault report: ").append(suite).append(" ====\n");
        b.append("seed            ")
                .append(seed)
                .append("  (replay: -Dunderstudy.fault.seed=")
                .append(seed)
                .append(")\n");
        b.append("wall time       ").append(wall.toSeconds()).append(" s\n");
        b.append("logs            ").append(logDir).append('\n');
        b.append("writes          acked ")
                .append(result.acked())
                .append(" (sync ")
                .append(result.ackedSync())
                .append(", async ")
                .append(result.ackedAsync())
                .append("), refused ")
                .append(result.refused())
                .append(", unknown ")
                .append(result.unknown())
                .append(" (of which applied ")
                .append(result.unknownApplied())
                .append(")\n");
        reasons(b, workload, WriteRecord.Outcome.REFUSED);
        reasons(b, workload, WriteRecord.Outcome.UNKNOWN);
        b.append("sync lost       ").append(result.syncLost()).append("  (must be 0)\n");
        b.append("async lost      ").append(result.asyncLost()).append("  (allowed)\n");
        b.append("entries         ").append(result.entriesPerPartition()).append(" per partition\n");
        b.append("faults (failover = fault injected -> next sync write started after it and acknowledged, in the\n"
                + "        partition faulted; ZooKeeper faults: in any partition):\n");
        for (FaultRecord f : faults) {
            Optional<Long> end = workload.firstAckedSyncEnd(f.injectedNanos(), f.partition());
            String failover =
                    end.map(e -> (e - f.injectedNanos()) / 1_000_000 + " ms").orElse("none");
            end.ifPresent(e -> failoverMillis
                    .computeIfAbsent(f.kind(), k -> new ArrayList<>())
                    .add((e - f.injectedNanos()) / 1_000_000));
            if (end.isEmpty())
                failoverMillis.computeIfAbsent(f.kind(), k -> new ArrayList<>()).add(Long.MAX_VALUE);
            b.append(String.format("  #%-3d %-17s %-40s failover %s%n", f.number(), f.kind(), f.target(), failover));
        }
        b.append("failover per kind (ms):\n");
        failoverMillis.forEach((kind, list) -> {
            List<Long> sorted = list.stream().sorted().toList();
            b.append(String.format(
                    "  %-17s n=%-3d p50 %-8s max %s%n",
                    kind,
                    sorted.size(),
                    show(sorted.get((sorted.size() - 1) / 2)),
                    show(sorted.get(sorted.size() - 1))));
        });
        b.append("violations      ").append(result.violations().size()).append('\n');
        result.violations().forEach(v -> b.append("  ! ").append(v).append('\n'));
        text = b.toString();
        try {
            Files.writeString(logDir.resolve("report.txt"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The five commonest answers behind one outcome, digits and ports folded so that alike messages group. */
    private static void reasons(StringBuilder b, Workload workload, WriteRecord.Outcome outcome) {
        Map<String, Long> counts = workload.records().stream()
                .filter(r -> r.outcome() == outcome)
                .collect(Collectors.groupingBy(
                        r -> String.valueOf(r.detail())
                                .replaceAll("[0-9]+", "N")
                                .replaceAll("\\s+", " "),
                        Collectors.counting()));
        b.append("  ").append(outcome.name().toLowerCase(java.util.Locale.ROOT)).append(" because:\n");
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(5)
                .forEach(e -> b.append(String.format("    %6d  %.150s%n", e.getValue(), e.getKey())));
    }

    private static String show(long millis) {
        return millis == Long.MAX_VALUE ? "none" : Long.toString(millis);
    }

    /** Fails unless {@code kind} was injected and every injection of it was followed by a sync ack within budget. */
    void assertFailoverWithin(FaultKind kind, long budgetMillis) {
        List<Long> failovers = failoverMillis(kind);
        assertTrue(!failovers.isEmpty(), "no " + kind + " was injected");
        for (long ms : failovers) {
            assertTrue(
                    ms <= budgetMillis,
                    () -> kind + " (" + kind.description() + "): next sync write acknowledged "
                            + (ms == Long.MAX_VALUE ? "never" : "after " + ms + " ms") + ", budget " + budgetMillis
                            + " ms");
        }
    }

    String text() {
        return text;
    }

    /** Failover times of one kind, in ms ({@code Long.MAX_VALUE} when no sync write was acknowledged after it). */
    List<Long> failoverMillis(FaultKind kind) {
        return failoverMillis.getOrDefault(kind, List.of());
    }
}
