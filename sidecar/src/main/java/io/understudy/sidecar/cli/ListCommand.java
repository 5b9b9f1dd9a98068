package io.understudy.sidecar.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code list}: the whole group as one member sees it, as {@code patronictl list} shows a cluster: every member
 * with its version (a half-finished rolling upgrade shows), and every partition with its leader, epoch, ISR, state
 * and each member's role and lag.
 */
@Command(
        name = "list",
        description = "Show every member and partition of the group: role, epoch, ISR, lag, version, state.")
final class ListCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ApiOption api;

    @Option(names = "--json", description = "Print JSON instead of tables.")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        Output output = new Output(spec, json);
        GroupView view;
        try {
            view = GroupView.of(api.client().get("/v1/status"));
        } catch (CommandFailure e) {
            return output.fail(e);
        }
        if (json) {
            output.printJson(view);
            return 0;
        }
        TextTable members = new TextTable("Member", "Alive", "Version", "App", "Lag");
        for (GroupView.Member m : view.members()) {
            members.row(
                    m.id(),
                    m.alive() ? "yes" : "NO",
                    m.version() == null ? "-" : m.version(),
                    m.appHealthy() == null ? "-" : m.appHealthy() ? "healthy" : "UNHEALTHY",
                    m.lag() == null ? "-" : m.lag());
        }
        members.print(
                output.out(),
                "Group: " + view.group() + " (seen from " + view.seenFrom() + ", " + view.version() + " commit "
                        + view.commit() + ")");
        TextTable partitions = new TextTable(
                "Partition", "Member", "Role", "Epoch", "Log end", "Lag", "Applied", "Apply lag", "State");
        for (GroupView.Partition p : view.partitions()) {
            for (GroupView.Replica r : p.replicas()) {
                partitions.row(
                        p.partition(),
                        r.member(),
                        r.role(),
                        p.epoch(),
                        dash(r.logEnd()),
                        dash(r.lag()),
                        dash(r.appliedIndex()),
                        dash(r.applyLag()),
                        p.state());
            }
        }
        partitions.print(output.out(), "");
        for (GroupView.Partition p : view.partitions()) {
            if (p.failure() != null) output.out().println("partition " + p.partition() + " FAILED: " + p.failure());
        }
        output.out().flush();
        return 0;
    }

    private static String dash(Long value) {
        return value == null ? "-" : value.toString();
    }
}
