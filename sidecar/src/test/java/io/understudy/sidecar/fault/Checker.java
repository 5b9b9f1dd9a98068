package io.understudy.sidecar.fault;

import io.understudy.sidecar.fault.WriteRecord.Outcome;
import io.understudy.sidecar.testing.RecordingApp.Applied;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks, after healing and quiescence, what the apps applied against what the clients were told (docs/design.md
 * section 4). Violations are collected, not thrown one by one, so the report shows all of them at once.
 */
final class Checker {
    /** What the check found: the violations (must be empty) and the counts for the report. */
    record Result(
            List<String> violations,
            long acked,
            long ackedSync,
            long ackedAsync,
            long refused,
            long unknown,
            long syncLost,
            long asyncLost,
            long unknownApplied,
            Map<Integer, Long> entriesPerPartition) {}

    private static final int MAX_LISTED = 20;

    private Checker() {}

    static Result check(Cluster cluster, List<WriteRecord> writes, List<FaultRecord> faults) {
        List<String> violations = new ArrayList<>();
        int partitions = cluster.settings().partitions();
        List<SidecarProcess> members = cluster.members();
        Map<Integer, Long> entries = new HashMap<>();

        // Per member and partition: index -> entry, and the app's own anomalies.
        Map<String, Map<Integer, List<Applied>>> applied = new HashMap<>();
        for (SidecarProcess m : members) {
            violations.addAll(m.app().anomalies());
            Map<Integer, List<Applied>> byPartition = new HashMap<>();
            for (int p = 0; p < partitions; p++) byPartition.put(p, m.app().applied(p));
            applied.put(m.id(), byPartition);
        }

        for (int p = 0; p < partitions; p++) {
            List<Applied> reference = applied.get(members.get(0).id()).get(p);
            entries.put(p, (long) reference.size());
            for (SidecarProcess m : members) {
                List<Applied> list = applied.get(m.id()).get(p);
                checkOneLog(m.id(), p, list, violations);
                // (b) every member applied the same entry at every index
                if (list.size() != reference.size()) {
                    violations.add(m.id() + " p" + p + " applied " + list.size() + " entries, "
                            + members.get(0).id() + " applied " + reference.size());
                }
                for (int i = 0; i < Math.min(list.size(), reference.size()); i++) {
                    if (!list.get(i).equals(reference.get(i))) {
                        violations.add("divergence in p" + p + " at index " + (i + 1) + ": "
                                + members.get(0).id() + " applied " + reference.get(i) + ", " + m.id() + " applied "
                                + list.get(i));
                        break;
                    }
                }
            }
        }

        long syncLost = 0;
        long asyncLost = 0;
        long acked = 0;
        long ackedSync = 0;
        long refused = 0;
        long unknown = 0;
        Map<String, Set<String>> leadersByEpoch = new HashMap<>();
        Set<String> appliedKeys = new HashSet<>();
        for (Map<Integer, List<Applied>> byPartition : applied.values()) {
            byPartition.values().forEach(list -> list.forEach(a -> appliedKeys.add(a.key())));
        }
        long unknownApplied = 0;
        for (WriteRecord w : writes) {
            switch (w.outcome()) {
                case ACKED -> {
                    acked++;
                    if (w.sync()) ackedSync++;
                    leadersByEpoch
                            .computeIfAbsent("p" + w.partition() + " epoch " + w.epoch(), k -> new TreeSet<>())
                            .add(String.valueOf(w.leader()));
                    boolean lostSomewhere = false;
                    for (SidecarProcess m : members) {
                        List<Applied> list = applied.get(m.id()).getOrDefault(w.partition(), List.of());
                        Applied at = w.index() >= 1 && w.index() <= list.size() ? list.get((int) w.index() - 1) : null;
                        boolean held = at != null
                                && at.key().equals(w.key())
                                && at.epoch() == w.epoch()
                                && at.payload().equals(w.key());
                        if (!held) {
                            lostSomewhere = true;
                            if (w.sync() && syncLost < MAX_LISTED) {
                                violations.add("sync write " + w.key() + " acked at p" + w.partition() + " e"
                                        + w.epoch()
                                        + " i" + w.index() + " by " + w.leader() + " is not applied there on " + m.id()
                                        + " (found " + at + ")");
                            }
                        }
                    }
                    if (lostSomewhere && w.sync()) syncLost++;
                    if (lostSomewhere && !w.sync()) asyncLost++;
                }
                case REFUSED -> {
                    refused++;
                    if (appliedKeys.contains(w.key())) {
                        violations.add("write " + w.key() + " was refused (" + w.detail() + ") yet applied");
                    }
                }
                case UNKNOWN -> {
                    unknown++;
                    if (appliedKeys.contains(w.key())) unknownApplied++;
                }
            }
        }
        // (e) minInSync: while the leader could reach no follower, no sync write begun then may be acknowledged
        // (one copy, on the leader alone, is fewer than minInSync >= 2)
        if (cluster.settings().minInSync() >= 2) {
            for (FaultRecord f : faults) {
                if (f.isolatedFromNanos() == 0) continue;
                for (WriteRecord w : writes) {
                    if (w.outcome() == Outcome.ACKED
                            && w.sync()
                            && w.partition() == f.partition()
                            && w.startNanos() >= f.isolatedFromNanos()
                            && w.endNanos() <= f.isolatedUntilNanos()) {
                        violations.add("sync write " + w.key() + " acknowledged (p" + w.partition() + " e" + w.epoch()
                                + " i" + w.index() + ") by " + w.leader() + " "
                                + (w.endNanos() - f.isolatedFromNanos()) / 1_000_000 + " ms into fault #" + f.number()
                                + ", while the leader could reach no "
                                + "follower: fewer than minInSync "
                                + cluster.settings().minInSync() + " copies");
                    }
                }
            }
        }
        // (d) one leader per epoch, from the acknowledgements
        leadersByEpoch.forEach((epoch, leaders) -> {
            if (leaders.size() > 1) violations.add("two leaders acknowledged writes in " + epoch + ": " + leaders);
        });
        return new Result(
                violations,
                acked,
                ackedSync,
                acked - ackedSync,
                refused,
                unknown,
                syncLost,
                asyncLost,
                unknownApplied,
                entries);
    }

    /** Dense indexes (no gap), no key applied twice, epochs never decreasing along the log. */
    private static void checkOneLog(String member, int p, List<Applied> list, List<String> violations) {
        Set<String> keys = new HashSet<>();
        long lastEpoch = 0;
        for (int i = 0; i < list.size(); i++) {
            Applied a = list.get(i);
            if (a.index() != i + 1)
                violations.add(member + " p" + p + ": position " + (i + 1) + " holds index " + a.index());
            if (!keys.add(a.key()))
                violations.add(member + " p" + p + ": key " + a.key() + " applied twice (again at " + a.index() + ")");
            if (a.epoch() < lastEpoch) {
                violations.add(member + " p" + p + ": epoch goes back from " + lastEpoch + " to " + a.epoch()
                        + " at index " + a.index());
            }
            lastEpoch = a.epoch();
        }
    }
}
