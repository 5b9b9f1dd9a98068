package io.understudy.sidecar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints a sidecar's {@code /v1/status} as a table (or as JSON). */
@Command(name = "status", description = "Show a sidecar's view of its partitions and members.")
final class StatusCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ApiOption api;

    @Option(names = "--json", description = "Print the raw JSON.")
    private boolean raw;

    @Override
    public Integer call() throws Exception {
        Output output = new Output(spec, raw);
        JsonNode status;
        try {
            status = api.client().get("/v1/status");
        } catch (CommandFailure e) {
            return output.fail(e);
        }
        if (raw) {
            output.printJson(status);
            return 0;
        }
        PrintWriter out = output.out();
        out.printf(
                "member %s in group %s, %s (commit %s)%n%n",
                status.path("member").asText(),
                status.path("group").asText(),
                status.path("version").asText("unknown"),
                status.path("commit").asText("unknown"));
        out.printf(
                "%-9s %-9s %-10s %6s %8s %8s %8s  %s%n",
                "PARTITION", "ROLE", "LEADER", "EPOCH", "LOG END", "COMMIT", "APPLIED", "ISR");
        for (JsonNode p : status.path("partitions")) {
            out.printf(
                    "%-9d %-9s %-10s %6d %8d %8d %8d  %s%n",
                    p.path("partition").asInt(),
                    p.path("role").asText(),
                    p.path("leader").asText("-"),
                    p.path("epoch").asLong(),
                    p.path("logEnd").asLong(),
                    p.path("commitIndex").asLong(),
                    p.path("appliedIndex").asLong(),
                    p.path("isr"));
        }
        out.printf("%n%-12s %-6s %-16s %s%n", "MEMBER", "ALIVE", "VERSION", "LAG");
        for (JsonNode m : status.path("members")) {
            out.printf(
                    "%-12s %-6s %-16s %s%n",
                    m.path("id").asText(),
                    m.path("alive").asBoolean(),
                    m.path("version").asText("-"),
                    m.path("lag").isNull() ? "-" : m.path("lag").asText());
        }
        out.flush();
        return 0;
    }
}
