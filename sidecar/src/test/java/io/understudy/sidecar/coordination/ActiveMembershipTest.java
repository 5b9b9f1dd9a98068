package io.understudy.sidecar.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ActiveMembershipTest {
    private final Map<String, MemberInfo> live = new ConcurrentHashMap<>();
    private final List<Runnable> liveListeners = new CopyOnWriteArrayList<>();
    private final FakeRemoved removed = new FakeRemoved();
    private final ActiveMembership membership = new ActiveMembership(
            new Membership() {
                @Override
                public void start(MemberInfo self) {}

                @Override
                public void update(MemberInfo self) {}

                @Override
                public Map<String, MemberInfo> live() {
                    return Map.copyOf(live);
                }

                @Override
                public void addListener(Runnable onChange) {
                    liveListeners.add(onChange);
                }

                @Override
                public void close() {}
            },
            removed);

    private static MemberInfo heartbeat(String id) {
        return new MemberInfo(id, "http://" + id + ".invalid", "test", 0, "dir-" + id, 1, Map.of(), true);
    }

    @Test
    void removedMemberIsLeftOutOfTheLiveViewWhileItsZnodeStays() throws Exception {
        live.put("node-1", heartbeat("node-1"));
        live.put("node-2", heartbeat("node-2"));
        membership.start(heartbeat("node-1"));

        removed.mark("node-2").join();

        assertEquals(Set.of("node-1"), membership.live().keySet());
        assertEquals(Set.of("node-1", "node-2"), membership.everyLive().keySet());
        assertTrue(membership.removed("node-2"));
        assertFalse(membership.selfRemoved());

        removed.unmark("node-2").join();

        assertEquals(Set.of("node-1", "node-2"), membership.live().keySet());
    }

    @Test
    void thisMemberKnowsWhenItIsRemoved() throws Exception {
        membership.start(heartbeat("node-3"));

        removed.mark("node-3").join();

        assertTrue(membership.selfRemoved());
    }

    @Test
    void listenersHearOfRemovalsAsOfMembershipChanges() {
        AtomicInteger heard = new AtomicInteger();
        membership.addListener(heard::incrementAndGet);

        removed.mark("node-2").join();
        liveListeners.forEach(Runnable::run);

        assertEquals(2, heard.get());
    }

    private static final class FakeRemoved implements RemovedMembers {
        private final Set<String> ids = ConcurrentHashMap.newKeySet();
        private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

        @Override
        public void start() {}

        @Override
        public Set<String> ids() {
            return Set.copyOf(ids);
        }

        @Override
        public CompletableFuture<Boolean> mark(String id) {
            boolean added = ids.add(id);
            listeners.forEach(Runnable::run);
            return CompletableFuture.completedFuture(added);
        }

        @Override
        public CompletableFuture<Boolean> unmark(String id) {
            boolean was = ids.remove(id);
            listeners.forEach(Runnable::run);
            return CompletableFuture.completedFuture(was);
        }

        @Override
        public void addListener(Runnable onChange) {
            listeners.add(onChange);
        }

        @Override
        public void close() {}
    }
}
