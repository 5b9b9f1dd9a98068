package io.understudy.sidecar.coordination;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every member seen alive since this member started, with the last heartbeat it published. A member's ephemeral
 * znode vanishes when it stops, and once it is out of every ISR nothing in ZooKeeper names it any more: this roster
 * is how a status page can still say "node-3 is down, last seen at ..." instead of forgetting it. It lives in memory
 * only; a member that left the group for good is forgotten once an operator removes it ({@code remove-member}),
 * and otherwise listed until this member restarts.
 */
public final class MemberRoster {
    private final Membership membership;
    private final Map<String, MemberInfo> lastSeen = new ConcurrentHashMap<>();

    /** Call {@link #refresh} on every membership change (see {@link Membership#addListener}). */
    public MemberRoster(Membership membership) {
        this.membership = membership;
    }

    /** Records the live members' latest heartbeats and forgets the removed ones. */
    public void refresh() {
        lastSeen.putAll(membership.live());
        lastSeen.keySet().removeIf(membership::removed);
    }

    /** The live members by id (see {@link Membership#live}). */
    public Map<String, MemberInfo> live() {
        return membership.live();
    }

    /**
     * The members seen since start that are not alive now, each with the last heartbeat seen from it; removed
     * members are not listed.
     */
    public Map<String, MemberInfo> departed() {
        refresh();
        Map<String, MemberInfo> gone = new HashMap<>(lastSeen);
        gone.keySet().removeAll(membership.live().keySet());
        return gone;
    }

    /** Every member this roster knows: alive or seen since start, removed ones excepted. */
    public Set<String> known() {
        refresh();
        Set<String> known = new TreeSet<>(lastSeen.keySet());
        known.addAll(membership.live().keySet());
        return known;
    }
}
