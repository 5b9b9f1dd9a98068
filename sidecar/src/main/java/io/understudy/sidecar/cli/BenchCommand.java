package io.understudy.sidecar.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Measures write throughput and latency of a running group through one sidecar's local API and, in the same
 * run, the reference of docs/design.md section 9: sequential {@code create}s on the same ZooKeeper through Curator,
 * with the same payload and the same number of requests in flight. Reports medians over rounds and the ratio.
 *
 * <p>Its client is the JDK's {@code HttpClient}, which saturates well below what a sidecar takes. So at every level
 * it first drives the same number of no-op requests ({@code GET /v1/health}) with the same client and marks each
 * write figure with a {@link GeneratorCheck.Verdict}: a figure close to the client's own ceiling is the client's,
 * and the command says so instead of presenting it as the sidecar's. {@code --reference-only} measures ZooKeeper
 * alone (scripts/bench-compare.sh measures the sidecar with {@code wrk}).
 */
@Command(name = "bench", description = "Benchmark writes against a running group, beside a ZooKeeper reference.")
final class BenchCommand implements Callable<Integer> {
    @Option(
            names = "--api",
            defaultValue = "http://127.0.0.1:7001",
            description = "A sidecar's local API (default: ${DEFAULT-VALUE}).")
    private URI api;

    @Option(names = "--zookeeper", description = "ZooKeeper connect string for the reference (omit to skip it).")
    private String zookeeper;

    @Option(
            names = "--writes",
            defaultValue = "2000",
            description = "Writes per round and level (default: ${DEFAULT-VALUE}).")
    private int writes;

    @Option(
            names = "--in-flight",
            split = ",",
            defaultValue = "1,64,256",
            description = "Concurrency levels (default: ${DEFAULT-VALUE}).")
    private int[] inFlight;

    @Option(names = "--payload", defaultValue = "256", description = "Payload bytes (default: ${DEFAULT-VALUE}).")
    private int payloadBytes;

    @Option(names = "--durability", defaultValue = "sync", description = "sync or async (default: ${DEFAULT-VALUE}).")
    private String durability;

    @Option(
            names = "--rounds",
            defaultValue = "3",
            description = "Rounds per level; medians are reported (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(
            names = "--reference-only",
            description = "Measure only the ZooKeeper reference (needs --zookeeper); never call the sidecar.")
    private boolean referenceOnly;

    @Option(names = "--json", description = "Print the results as one JSON document instead of a table.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    private final List<Map<String, Object>> rows = new ArrayList<>();

    /** One round's figures. */
    private record Round(double perSecond, double p50Millis, double p99Millis, long errors) {}

    /** Something that takes one write and completes when it is acknowledged. */
    private interface Target {
        CompletableFuture<Boolean> write(long n);
    }

    @Override
    public Integer call() throws Exception {
        if (referenceOnly && zookeeper == null) {
            throw new ParameterException(spec.commandLine(), "--reference-only needs --zookeeper");
        }
        PrintWriter out = spec.commandLine().getOut();
        byte[] payload = new byte[payloadBytes];
        Arrays.fill(payload, (byte) 'x');
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String base = api.toString().replaceAll("/+$", "");
        URI entries = URI.create(base + "/v1/entries?durability=" + durability + "&key=bench");
        Target understudy = n -> http.sendAsync(
                        HttpRequest.newBuilder(entries)
                                .timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .thenApply(r -> r.statusCode() == 200);
        HttpRequest health = HttpRequest.newBuilder(URI.create(base + "/v1/health"))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
        Target noOp = n ->
                http.sendAsync(health, HttpResponse.BodyHandlers.discarding()).thenApply(r -> r.statusCode() == 200);
        CuratorFramework zk = null;
        Target reference = null;
        if (zookeeper != null) {
            zk = CuratorFrameworkFactory.newClient(zookeeper, new RetryOneTime(100));
            zk.start();
            zk.blockUntilConnected();
            CuratorFramework client = zk;
            client.createContainers("/understudy-bench");
            reference = n -> {
                CompletableFuture<Boolean> done = new CompletableFuture<>();
                try {
                    client.create()
                            .withMode(CreateMode.PERSISTENT_SEQUENTIAL)
                            .inBackground((c, event) -> done.complete(event.getResultCode() == 0))
                            .forPath("/understudy-bench/w-", payload);
                } catch (Exception e) {
                    done.complete(false);
                }
                return done;
            };
        }
        if (!json) {
            out.printf(
                    "%d-byte %s writes, %d per round, %d round(s); medians over rounds%n",
                    payloadBytes, durability, writes, rounds);
            out.printf(
                    "%-9s %-12s %10s %9s %9s %7s  %s%n",
                    "IN FLIGHT", "TARGET", "WRITES/S", "P50 MS", "P99 MS", "ERRORS", "MEASURES");
        }
        boolean anyClientBound = false;
        try {
            for (int level : inFlight) {
                Round ours = null;
                if (!referenceOnly) {
                    Round ceiling = median(noOp, level);
                    print(out, level, "client-no-op", ceiling, null, null);
                    ours = median(understudy, level);
                    double noOpRate = ceiling.errors() == 0 ? ceiling.perSecond() : 0;
                    GeneratorCheck.Verdict verdict = GeneratorCheck.verdict(ours.perSecond(), noOpRate);
                    anyClientBound |= verdict != GeneratorCheck.Verdict.SIDECAR_BOUND;
                    print(
                            out,
                            level,
                            "understudy",
                            ours,
                            null,
                            Map.<String, Object>of("generator", verdict, "clientNoOpPerSecond", noOpRate));
                }
                if (reference != null) {
                    Round ref = median(reference, level);
                    print(out, level, "zookeeper", ref, null, null);
                    if (ours != null) print(out, level, "ratio", null, ours.perSecond() / ref.perSecond(), null);
                }
            }
            if (!json && anyClientBound) {
                out.printf(
                        "This client cannot measure the sidecar at the levels not marked 'sidecar': its writes reach"
                                + " %.0f%% or more of its own no-op rate (client-no-op, GET /v1/health), so they are"
                                + " lower bounds set by the client.%nMeasure with scripts/bench-compare.sh (wrk),"
                                + " whose no-op rate it reports beside its figures.%n",
                        GeneratorCheck.CLIENT_BOUND_FRACTION * 100);
            }
            if (json) {
                new Output(spec, true)
                        .printJson(Map.of(
                                "payloadBytes", payloadBytes,
                                "durability", durability,
                                "writesPerRound", writes,
                                "rounds", rounds,
                                "results", rows));
            }
        } finally {
            if (zk != null) {
                zk.delete().deletingChildrenIfNeeded().forPath("/understudy-bench");
                zk.close();
            }
        }
        return 0;
    }

    /**
     * One line of the table, or one element of the JSON results: a round's medians (with {@code extra} fields), or
     * the ratio of a level.
     */
    private void print(PrintWriter out, int level, String target, Round r, Double ratio, Map<String, Object> extra) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("inFlight", level);
        row.put("target", target);
        if (r != null) {
            row.put("writesPerSecond", r.perSecond());
            row.put("p50Millis", r.p50Millis());
            row.put("p99Millis", r.p99Millis());
            row.put("errors", r.errors());
        } else {
            row.put("ratio", ratio);
        }
        if (extra != null) row.putAll(extra);
        rows.add(row);
        if (json) return;
        if (r == null) {
            out.printf("%-9s %-12s %10.2f%n", "", target, ratio);
            return;
        }
        Object verdict = extra == null ? null : extra.get("generator");
        String measures = verdict == null
                ? ""
                : verdict == GeneratorCheck.Verdict.SIDECAR_BOUND ? "sidecar" : "client (lower bound)";
        out.printf(
                "%-9d %-12s %10.0f %9.2f %9.2f %7d  %s%n",
                level, target, r.perSecond(), r.p50Millis(), r.p99Millis(), r.errors(), measures);
        out.flush();
    }

    private Round median(Target target, int level) throws InterruptedException {
        runRound(target, level, Math.min(writes, 200)); // warm-up, not counted
        List<Round> results = new ArrayList<>();
        for (int i = 0; i < rounds; i++) results.add(runRound(target, level, writes));
        return new Round(
                med(results, Round::perSecond),
                med(results, Round::p50Millis),
                med(results, Round::p99Millis),
                results.stream().mapToLong(Round::errors).sum());
    }

    private static double med(List<Round> rounds, java.util.function.ToDoubleFunction<Round> f) {
        double[] values = rounds.stream().mapToDouble(f).sorted().toArray();
        return values[values.length / 2];
    }

    private static Round runRound(Target target, int level, int count) throws InterruptedException {
        Histogram latencies = new Histogram(3);
        Semaphore slots = new Semaphore(level);
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        for (long n = 0; n < count; n++) {
            slots.acquire();
            long sent = System.nanoTime();
            target.write(n).whenComplete((ok, error) -> {
                synchronized (latencies) {
                    latencies.recordValue(Math.max(1, (System.nanoTime() - sent) / 1_000));
                }
                if (error != null || !ok) errors.incrementAndGet();
                slots.release();
            });
        }
        slots.acquire(level);
        double seconds = (System.nanoTime() - start) / 1e9;
        synchronized (latencies) {
            return new Round(
                    count / seconds,
                    latencies.getValueAtPercentile(50) / 1000.0,
                    latencies.getValueAtPercentile(99) / 1000.0,
                    errors.get());
        }
    }
}
