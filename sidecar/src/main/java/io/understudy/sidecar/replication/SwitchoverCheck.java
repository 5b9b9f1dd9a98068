package io.understudy.sidecar.replication;

import io.understudy.sidecar.coordination.PartitionState;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Whether the leader may hand a partition to a chosen member: only to another member that is alive and in the
 * ISR (docs/design.md rule 1: only an ISR member leads). Pure: the leader calls it when the request arrives and
 * again while the target catches up.
 */
final class SwitchoverCheck {
    private SwitchoverCheck() {}

    /**
     * @param me the leader asking
     * @param target the member to lead next
     * @param state the partition's state as the leader holds it
     * @param live the members whose ZooKeeper session is alive, each with the data directory id its znode names
     * @param known every member seen since this member started (live, in an ISR)
     * @throws SwitchoverException when the switchover must not go ahead, with the reason and what to do
     */
    static void check(
            int partition,
            String me,
            String target,
            PartitionState state,
            Map<String, String> live,
            Set<String> known) {
        if (target.equals(me)) {
            throw new SwitchoverException(
                    partition,
                    SwitchoverRefusal.TARGET_IS_LEADER,
                    target + " already leads it (epoch " + state.epoch() + "); nothing to do");
        }
        if (!live.containsKey(target) && !state.hasIsrMember(target) && !known.contains(target)) {
            throw new SwitchoverException(
                    partition,
                    SwitchoverRefusal.UNKNOWN_MEMBER,
                    "no member '" + target + "' in this group; members now: " + new TreeSet<>(live.keySet())
                            + "; check the member id");
        }
        if (!live.containsKey(target)) {
            throw new SwitchoverException(
                    partition,
                    SwitchoverRefusal.TARGET_NOT_ALIVE,
                    target + " is not alive (no ZooKeeper session); start it, wait until it is in the ISR, then retry,"
                            + " or choose one of " + candidates(state, live, me));
        }
        // With the data directory it runs on now: one that came back empty is a new replica (rule 1).
        if (!state.inIsr(target, live.get(target))) {
            throw new SwitchoverException(
                    partition,
                    SwitchoverRefusal.TARGET_NOT_IN_SYNC,
                    target + " is not in the ISR " + state.isrMemberIds() + "; wait until it has caught up and"
                            + " joined it (status), then retry, or choose one of " + candidates(state, live, me));
        }
    }

    private static Set<String> candidates(PartitionState state, Map<String, String> live, String me) {
        Set<String> ids = new TreeSet<>(state.isrMemberIds());
        ids.retainAll(live.keySet());
        ids.remove(me);
        return ids;
    }
}
