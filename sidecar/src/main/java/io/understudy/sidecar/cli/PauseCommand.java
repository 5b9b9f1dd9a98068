package io.understudy.sidecar.cli;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/**
 * {@code pause} and {@code resume}: set or clear the group-wide pause flag (no leader balancing, no unclean
 * election) through any member.
 */
abstract class PauseCommand implements Callable<Integer> {
    @Option(
            names = "--api",
            defaultValue = "http://127.0.0.1:7001",
            description = "Any member's local API (default: ${DEFAULT-VALUE}).")
    private URI api;

    @Option(names = "--json", description = "Print the sidecar's JSON answer.")
    private boolean json;

    private final boolean pause;

    PauseCommand(boolean pause) {
        this.pause = pause;
    }

    @Override
    public Integer call() throws InterruptedException {
        String name = pause ? "pause" : "resume";
        AdminCall.Answer answer;
        try {
            answer = AdminCall.post(api, "/v1/" + name, Duration.ofSeconds(10));
        } catch (IOException e) {
            System.err.println("understudy " + name + ": " + e.getMessage());
            return 1;
        }
        if (json) (answer.ok() ? System.out : System.err).println(answer.body().toString());
        if (!answer.ok()) {
            if (!json) {
                System.err.println(
                        "understudy " + name + ": " + answer.reason() + "; check that the member reaches ZooKeeper");
            }
            return 1;
        }
        if (!json) {
            System.out.println(
                    pause
                            ? "group paused: no leader balancing and no unclean election until resume"
                            : "group resumed: leader balancing and unclean elections (if configured) are back");
        }
        return 0;
    }

    @picocli.CommandLine.Command(
            name = "pause",
            description = "Pause the group: no automatic leader balancing, no unclean election (switchover works).")
    static final class Pause extends PauseCommand {
        Pause() {
            super(true);
        }
    }

    @picocli.CommandLine.Command(name = "resume", description = "Undo pause: leader balancing resumes.")
    static final class Resume extends PauseCommand {
        Resume() {
            super(false);
        }
    }
}
