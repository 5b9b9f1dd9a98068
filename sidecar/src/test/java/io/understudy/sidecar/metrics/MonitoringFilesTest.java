package io.understudy.sidecar.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.understudy.sidecar.coordination.IsrMember;
import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.replication.ReplicaRole;
import io.understudy.sidecar.testing.Promtool;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The monitoring files shipped under {@code ansible/files}: the Prometheus alert rules pass {@code promtool check
 * rules} and their unit tests, and every metric the rules and the Grafana dashboard query is one a sidecar exports.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MonitoringFilesTest {
    private static final Path PROMETHEUS = Path.of("..", "ansible", "files", "prometheus");
    private static final Path ALERTS = PROMETHEUS.resolve("understudy-alerts.yml");
    private static final Path DASHBOARD = Path.of("..", "ansible", "files", "grafana", "understudy-dashboard.json");
    /** Metric names of the sidecar and of Micrometer's JVM binders; anything else in a query is a label or function. */
    private static final Pattern METRIC = Pattern.compile("\\b(?:understudy|jvm|process|system)_[a-zA-Z0-9_]+");
    /** Prometheus's own series, present for every scrape target. */
    private static final Set<String> PROMETHEUS_SERIES = Set.of("up");

    @Test
    void alertRulesPassPromtoolCheckRules() throws Exception {
        Promtool.Result check = Promtool.find().run(null, "check", "rules", ALERTS.toString());
        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("SUCCESS"), check.output());
    }

    @Test
    void alertRuleUnitTestsPass() throws Exception {
        Path tests = PROMETHEUS.resolve("understudy-alerts.test.yml");
        Promtool.Result run = Promtool.find().run(null, "test", "rules", tests.toString());
        assertEquals(0, run.exitCode(), run.output());
    }

    @Test
    void everyMetricTheAlertRulesQueryIsExported() throws Exception {
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(ALERTS.toFile());
        List<String> exprs = new ArrayList<>();
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules"))
                exprs.add(rule.path("expr").asText());
        }
        assertTrue(exprs.size() >= 9, "alert rules: " + exprs);
        assertOnlyExported(exprs, "the alert rules");
    }

    @Test
    void theDashboardIsValidJsonAndQueriesOnlyExportedMetrics() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> exprs = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> exprs.add(e.asText()));
        assertTrue(exprs.size() >= 20, "dashboard queries: " + exprs);
        assertOnlyExported(exprs, "the dashboard");
    }

    private static void assertOnlyExported(List<String> exprs, String where) {
        Set<String> exported = exportedNames();
        Set<String> unknown = new TreeSet<>();
        Set<String> used = new TreeSet<>();
        for (String expr : exprs) {
            Matcher m = METRIC.matcher(expr.replaceAll("\"[^\"]*\"", "\"\""));
            while (m.find()) {
                used.add(m.group());
                if (!exported.contains(m.group())) unknown.add(m.group());
            }
            if (expr.matches("(?s).*\\bup\\{.*")) used.add("up");
        }
        assertTrue(
                unknown.isEmpty(), where + " query metrics no sidecar exports: " + unknown + "; exported: " + exported);
        assertTrue(used.stream().anyMatch(n -> n.startsWith("understudy_")), where + " query no sidecar metric");
    }

    /**
     * Every series name a sidecar exports: a scrape of metrics over a leading partition with a follower, after a
     * write, an fsync, an election and a GC (whose pause timer appears at the first GC), histograms and summaries
     * expanded into their {@code _bucket}, {@code _sum} and {@code _count} series.
     */
    private static Set<String> exportedNames() {
        try (SidecarMetrics metrics = new SidecarMetrics("g", "node-1", 1, Clock.systemUTC())) {
            FakePartition p0 = new FakePartition(0);
            p0.role = ReplicaRole.LEADER;
            p0.followerMatches = Map.of("node-2", 1L);
            metrics.watch(new GroupSource(List.of(p0.source()), Map::of, 2, () -> true));
            metrics.write("SYNC", "ok", Duration.ofMillis(2));
            metrics.events().elected(0, new PartitionState(1, "node-1", List.of(new IsrMember("node-1", "d")), 0));
            try {
                metrics.timed((channel, metaData) -> {}).force(null, false);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                System.gc(); // the GC pause timer is registered at the first GC notification
                return metrics.scrape().contains("# TYPE jvm_gc_pause_seconds ");
            });
            Set<String> names = new TreeSet<>(PROMETHEUS_SERIES);
            for (String line : metrics.scrape().lines().toList()) {
                if (!line.startsWith("# TYPE ")) continue;
                String[] parts = line.split(" ");
                String name = parts[2];
                String type = parts[3];
                names.add(name);
                if (type.equals("histogram") || type.equals("summary")) {
                    names.add(name + "_sum");
                    names.add(name + "_count");
                }
                if (type.equals("histogram")) names.add(name + "_bucket");
            }
            return names;
        }
    }
}
