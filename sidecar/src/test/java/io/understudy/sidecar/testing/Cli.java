package io.understudy.sidecar.testing;

import io.understudy.sidecar.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the sidecar's command line in this JVM, as {@code java -jar understudy-sidecar.jar ARGS} would. */
public final class Cli {
    private Cli() {}

    /** What a command printed and its exit code. */
    public record Result(int exit, String out, String err) {}

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new Main())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Result(exit, out.toString(), err.toString());
    }
}
