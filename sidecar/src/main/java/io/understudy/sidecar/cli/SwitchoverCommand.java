package io.understudy.sidecar.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Hands the leadership of one partition to a chosen member ({@code POST /v1/switchover}), through any member.
 * Exit 0 once the member leads, 1 with a one-line reason otherwise.
 */
@Command(
        name = "switchover",
        description = "Hand the leadership of a partition to another in-sync member, without failing a write.")
final class SwitchoverCommand implements Callable<Integer> {
    @Option(
            names = "--api",
            defaultValue = "http://127.0.0.1:7001",
            description = "Any member's local API (default: ${DEFAULT-VALUE}).")
    private URI api;

    @Option(names = "--partition", required = true, description = "The partition to move.")
    private int partition;

    @Option(names = "--to", required = true, description = "The member to lead it next (must be in its ISR).")
    private String to;

    @Option(
            names = "--timeout-ms",
            defaultValue = "10000",
            description = "How long the target may take to catch up and take over (default: ${DEFAULT-VALUE}).")
    private long timeoutMs;

    @Option(names = "--json", description = "Print the sidecar's JSON answer.")
    private boolean json;

    @Override
    public Integer call() throws InterruptedException {
        String path = "/v1/switchover?partition=" + partition + "&to=" + URLEncoder.encode(to, StandardCharsets.UTF_8)
                + "&timeoutMs=" + timeoutMs;
        AdminCall.Answer answer;
        try {
            answer = AdminCall.post(api, path, Duration.ofMillis(timeoutMs).plusSeconds(10));
        } catch (IOException e) {
            System.err.println("understudy switchover: " + e.getMessage());
            return 1;
        }
        if (json) (answer.ok() ? System.out : System.err).println(answer.body().toString());
        if (!answer.ok()) {
            if (!json) System.err.println("understudy switchover: " + answer.reason());
            return 1;
        }
        if (!json) {
            System.out.printf(
                    "partition %d: %s -> %s, epoch %d%n",
                    answer.body().path("partition").asInt(),
                    answer.body().path("from").asText(),
                    answer.body().path("to").asText(),
                    answer.body().path("epoch").asLong());
        }
        return 0;
    }
}
