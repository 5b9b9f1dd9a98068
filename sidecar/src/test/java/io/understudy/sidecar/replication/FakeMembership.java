package io.understudy.sidecar.replication;

import io.understudy.sidecar.coordination.MemberInfo;
import io.understudy.sidecar.coordination.Membership;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The live members a test says are alive; nothing is registered anywhere. */
final class FakeMembership implements Membership {
    final Map<String, MemberInfo> live = new ConcurrentHashMap<>();

    FakeMembership(MemberInfo... members) {
        for (MemberInfo m : members) live.put(m.id(), m);
    }

    @Override
    public void start(MemberInfo self) {
        live.put(self.id(), self);
    }

    @Override
    public void update(MemberInfo self) {
        live.put(self.id(), self);
    }

    @Override
    public Map<String, MemberInfo> live() {
        return Map.copyOf(live);
    }

    @Override
    public void addListener(Runnable onChange) {}

    @Override
    public void close() {}
}
