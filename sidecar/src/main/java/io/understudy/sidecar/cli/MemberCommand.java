package io.understudy.sidecar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code remove-member} and {@code add-member}: take a member out of the group ({@code POST /v1/members/remove}) or
 * let a removed one back in ({@code POST /v1/members/add}), through any member. Exit 0 once done, 1 with a one-line
 * reason otherwise.
 */
abstract class MemberCommand implements Callable<Integer> {
    @Option(
            names = "--api",
            defaultValue = "http://127.0.0.1:7001",
            description = "Any member's local API (default: ${DEFAULT-VALUE}).")
    private URI api;

    @Option(names = "--member", required = true, description = "The member id, e.g. node-3.")
    private String member;

    @Option(
            names = "--timeout-ms",
            defaultValue = "30000",
            description = "How long a removal may take (switchovers, ISR shrinks) (default: ${DEFAULT-VALUE}).")
    private long timeoutMs;

    @Option(names = "--json", description = "Print the sidecar's JSON answer.")
    private boolean json;

    private final boolean remove;

    MemberCommand(boolean remove) {
        this.remove = remove;
    }

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Output output = new Output(spec, json);
        String name = remove ? "remove-member" : "add-member";
        String path = "/v1/members/" + (remove ? "remove" : "add") + "?member="
                + URLEncoder.encode(member, StandardCharsets.UTF_8) + (remove ? "&timeoutMs=" + timeoutMs : "");
        AdminCall.Answer answer;
        try {
            answer = AdminCall.post(api, path, Duration.ofMillis(timeoutMs).plusSeconds(10));
        } catch (IOException e) {
            return output.fail(new CommandFailure(name + ": " + e.getMessage()));
        }
        if (json) {
            // The sidecar's own answer, failures included (they carry "code" and "message"), on standard output.
            output.printJson(answer.body());
            return answer.ok() ? 0 : 1;
        }
        if (!answer.ok()) return output.fail(new CommandFailure(name + ": " + answer.reason()));
        output.out().println(remove ? removed(answer.body()) : added(answer.body()));
        output.out().flush();
        return 0;
    }

    private static String removed(JsonNode body) {
        List<String> lines = new ArrayList<>();
        lines.add(body.path("member").asText() + " removed: out of every ISR, no longer replicated to");
        for (JsonNode s : body.path("switchedOver")) {
            lines.add("partition " + s.path("partition").asInt() + " switched over: "
                    + s.path("from").asText() + " -> " + s.path("to").asText() + ", epoch "
                    + s.path("epoch").asLong());
        }
        for (JsonNode p : body.path("partitions")) {
            lines.add("partition " + p.path("partition").asInt() + ": leader "
                    + p.path("leader").asText() + ", ISR " + p.path("isr"));
        }
        return String.join(System.lineSeparator(), lines);
    }

    private static String added(JsonNode body) {
        String member = body.path("member").asText();
        return body.path("wasRemoved").asBoolean()
                ? member + " added back: leaders send to it again and take it into the ISR once it has caught up"
                : member + " was not removed; nothing to do";
    }

    @Command(
            name = "remove-member",
            description = "Take a member out of the group: switched over, out of every ISR, no longer replicated to.")
    static final class Remove extends MemberCommand {
        Remove() {
            super(true);
        }
    }

    @Command(name = "add-member", description = "Let a removed member back in: it catches up and rejoins the ISR.")
    static final class Add extends MemberCommand {
        Add() {
            super(false);
        }
    }
}
