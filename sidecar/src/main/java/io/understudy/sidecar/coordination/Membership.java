package io.understudy.sidecar.coordination;

import java.util.Map;

/**
 * This member's ephemeral znode (its heartbeat) and the view of every live member. A member is alive while
 * its ZooKeeper session is: the znode vanishes when the session expires.
 */
public interface Membership extends AutoCloseable {

    /** Registers this member (waiting out a znode left by a previous session of the same member). */
    void start(MemberInfo self) throws CoordinationException;

    /** Publishes a new heartbeat. */
    void update(MemberInfo self);

    /** The live members by id, this one included once registered. */
    Map<String, MemberInfo> live();

    /** Called (on a coordination thread) whenever a member appears, disappears or sends a heartbeat. */
    void addListener(Runnable onChange);

    /**
     * Every live member, those an operator removed included: whom a request can still reach (a removed member may
     * lead until its partitions are switched over).
     */
    default Map<String, MemberInfo> everyLive() {
        return live();
    }

    /**
     * Whether an operator removed {@code id} from the group (docs/design.md, "Add and remove members"): such a member
     * is left out of {@link #live()} while it keeps running, and must not lead or take an ISR.
     */
    default boolean removed(String id) {
        return false;
    }

    /** Whether this member itself is removed (see {@link #removed}). */
    default boolean selfRemoved() {
        return false;
    }

    @Override
    void close();
}
