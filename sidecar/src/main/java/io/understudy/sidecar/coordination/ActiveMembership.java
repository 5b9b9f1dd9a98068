package io.understudy.sidecar.coordination;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The members that take part in the group: every live member but those an operator removed ({@link RemovedMembers}).
 * Replicas see the group through this view, so a leader stops sending to a removed member and drops it from the ISR
 * as it would a member whose session ended, and never adds it back while it is removed.
 */
public final class ActiveMembership implements Membership {
    private final Membership all;
    private final RemovedMembers removed;
    private volatile String selfId;

    public ActiveMembership(Membership all, RemovedMembers removed) {
        this.all = all;
        this.removed = removed;
    }

    @Override
    public void start(MemberInfo self) throws CoordinationException {
        selfId = self.id();
        all.start(self);
    }

    @Override
    public void update(MemberInfo self) {
        all.update(self);
    }

    @Override
    public Map<String, MemberInfo> live() {
        Set<String> out = removed.ids();
        if (out.isEmpty()) return all.live(); // the usual case, on every write's path
        Map<String, MemberInfo> live = new HashMap<>(all.live());
        live.keySet().removeAll(out);
        return Map.copyOf(live);
    }

    @Override
    public Map<String, MemberInfo> everyLive() {
        return all.live();
    }

    @Override
    public void addListener(Runnable onChange) {
        all.addListener(onChange);
        removed.addListener(onChange);
    }

    @Override
    public boolean removed(String id) {
        return removed.contains(id);
    }

    @Override
    public boolean selfRemoved() {
        String self = selfId;
        return self != null && removed.contains(self);
    }

    @Override
    public void close() {
        all.close();
    }
}
