package io.understudy.sidecar.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where an operator command prints: its picocli writers (so tests capture them), as text or, with {@code --json},
 * as one JSON document on standard output, failures included ({@code {"error": "..."}}), so a script reads one
 * stream.
 */
final class Output {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;

    Output(CommandSpec spec, boolean json) {
        this.out = spec.commandLine().getOut();
        this.err = spec.commandLine().getErr();
        this.json = json;
    }

    boolean json() {
        return json;
    }

    PrintWriter out() {
        return out;
    }

    /** Prints {@code value} as JSON on standard output. */
    void printJson(Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON for " + value.getClass(), e);
        }
        out.flush();
    }

    /** Reports {@code failure} (as JSON with {@code --json}, else one line on standard error) and answers exit 1. */
    int fail(CommandFailure failure) {
        if (json) {
            printJson(Map.of("error", failure.getMessage()));
        } else {
            err.println("understudy: " + failure.getMessage());
            err.flush();
        }
        return 1;
    }
}
