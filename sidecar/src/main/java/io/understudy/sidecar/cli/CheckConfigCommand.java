package io.understudy.sidecar.cli;

import io.understudy.sidecar.config.ConfigException;
import io.understudy.sidecar.config.ConfigLoader;
import io.understudy.sidecar.config.ConfigWarnings;
import io.understudy.sidecar.config.SidecarConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code check-config FILE}: loads and validates a sidecar config exactly as {@code run} does (the file with the
 * {@code UNDERSTUDY_*} environment laid over it), without starting anything. Exit 0 when {@code run} would accept
 * it (its warnings printed), 1 when not, with every reason (each bad key, not only the first): what an Ansible
 * {@code validate:} step calls.
 */
@Command(
        name = "check-config",
        description = "Check a sidecar config file as `run` would load it; exit 0 when valid, 1 when not.")
final class CheckConfigCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The sidecar.yaml file.")
    private Path file;

    @Option(names = "--json", description = "Print {\"valid\", \"file\", \"errors\", \"warnings\"} as JSON.")
    private boolean json;

    @Override
    public Integer call() throws ConfigException {
        Output output = new Output(spec, json);
        List<ConfigException> problems = ConfigLoader.problems(file, System.getenv());
        if (!problems.isEmpty()) {
            if (json) {
                output.printJson(result(
                        false,
                        problems.stream().map(CheckConfigCommand::errorOf).toList(),
                        List.of()));
            } else {
                PrintWriter err = spec.commandLine().getErr();
                err.println("understudy: " + file + " is not valid (" + problems.size() + " problem"
                        + (problems.size() == 1 ? "" : "s") + "):");
                for (ConfigException problem : problems) err.println("  " + problem.getMessage());
                err.flush();
            }
            return 1;
        }
        SidecarConfig config = ConfigLoader.load(file, System.getenv());
        List<String> warnings = ConfigWarnings.of(config);
        if (json) {
            output.printJson(result(true, List.of(), warnings));
        } else {
            for (String warning : warnings) output.out().println("warning: " + warning);
            output.out()
                    .printf(
                            "%s is valid: member %s of group %s, %d partition(s)%n",
                            file, config.member(), config.group(), config.partitions());
            output.out().flush();
        }
        return 0;
    }

    private Map<String, Object> result(boolean valid, List<Map<String, Object>> errors, List<String> warnings) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("valid", valid);
        result.put("file", file.toString());
        result.put("errors", errors);
        result.put("warnings", warnings);
        return result;
    }

    private static Map<String, Object> errorOf(ConfigException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("key", e.key());
        error.put("message", e.getMessage());
        return error;
    }
}
