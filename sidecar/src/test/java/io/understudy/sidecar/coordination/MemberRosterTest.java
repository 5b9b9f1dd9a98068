package io.understudy.sidecar.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MemberRosterTest {
    private final Map<String, MemberInfo> live = new ConcurrentHashMap<>();
    private final Set<String> removed = ConcurrentHashMap.newKeySet();
    private final MemberRoster roster = new MemberRoster(new Membership() {
        @Override
        public void start(MemberInfo self) {}

        @Override
        public void update(MemberInfo self) {}

        @Override
        public Map<String, MemberInfo> live() {
            return Map.copyOf(live);
        }

        @Override
        public void addListener(Runnable onChange) {}

        @Override
        public boolean removed(String id) {
            return removed.contains(id);
        }

        @Override
        public void close() {}
    });

    private static MemberInfo heartbeat(String id, long at) {
        return new MemberInfo(id, "http://" + id + ".invalid", "test", 0, "dir-" + id, at, Map.of(), true);
    }

    @Test
    void memberThatLeftIsListedWithItsLastHeartbeatUntilItComesBack() {
        live.put("node-1", heartbeat("node-1", 100));
        live.put("node-2", heartbeat("node-2", 100));
        roster.refresh();
        live.put("node-2", heartbeat("node-2", 250));
        roster.refresh();

        live.remove("node-2");

        assertEquals(Set.of("node-2"), roster.departed().keySet());
        assertEquals(250, roster.departed().get("node-2").heartbeatTime());

        live.put("node-2", heartbeat("node-2", 900));
        assertEquals(Map.of(), roster.departed());
    }

    @Test
    void memberNeverSeenAliveIsNotListed() {
        live.put("node-1", heartbeat("node-1", 100));
        assertEquals(Map.of(), roster.departed());
    }

    @Test
    void removedMemberIsForgottenAndNotKnownAnyMore() {
        live.put("node-1", heartbeat("node-1", 100));
        live.put("node-3", heartbeat("node-3", 100));
        roster.refresh();
        live.remove("node-3");
        assertEquals(Set.of("node-3"), roster.departed().keySet());

        removed.add("node-3");

        assertEquals(Map.of(), roster.departed());
        assertEquals(Set.of("node-1"), roster.known());
    }
}
