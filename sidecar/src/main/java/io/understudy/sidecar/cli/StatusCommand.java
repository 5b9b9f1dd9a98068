package io.understudy.sidecar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints a sidecar's {@code /v1/status} as a table (or as JSON). */
@Command(name = "status", description = "Show a sidecar's view of its partitions and members.")
final class StatusCommand implements Callable<Integer> {
    @Option(
            names = "--api",
            defaultValue = "http://127.0.0.1:7001",
            description = "The sidecar's local API (default: ${DEFAULT-VALUE}).")
    private URI api;

    @Option(names = "--json", description = "Print the raw JSON.")
    private boolean raw;

    @Override
    public Integer call() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        HttpResponse<String> response;
        try {
            response = http.send(
                    HttpRequest.newBuilder(api.resolve("/v1/status"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            System.err.println("understudy: no sidecar answers at " + api + ": " + e);
            return 1;
        }
        if (response.statusCode() != 200) {
            System.err.println("understudy: " + api + " answered " + response.statusCode() + ": " + response.body());
            return 1;
        }
        JsonNode status = new ObjectMapper().readTree(response.body());
        if (raw) {
            System.out.println(status.toPrettyString());
            return 0;
        }
        System.out.printf(
                "member %s in group %s%n%n",
                status.path("member").asText(), status.path("group").asText());
        System.out.printf(
                "%-9s %-9s %-10s %6s %8s %8s %8s  %s%n",
                "PARTITION", "ROLE", "LEADER", "EPOCH", "LOG END", "COMMIT", "APPLIED", "ISR");
        for (JsonNode p : status.path("partitions")) {
            System.out.printf(
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
        System.out.printf("%n%-12s %-6s %s%n", "MEMBER", "ALIVE", "LAG");
        for (JsonNode m : status.path("members")) {
            System.out.printf(
                    "%-12s %-6s %s%n",
                    m.path("id").asText(),
                    m.path("alive").asBoolean(),
                    m.path("lag").isNull() ? "-" : m.path("lag").asText());
        }
        return 0;
    }
}
