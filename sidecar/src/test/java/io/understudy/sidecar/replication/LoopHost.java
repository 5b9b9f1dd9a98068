package io.understudy.sidecar.replication;

import io.understudy.sidecar.coordination.MemberInfo;
import io.understudy.sidecar.coordination.PartitionState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A {@link LeaderSession.Host} whose partition loop is the test thread: tasks wait until {@link #runLoop()}, so
 * a test decides exactly what happens between two steps of a session.
 */
final class LoopHost implements LeaderSession.Host {
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    final Map<String, MemberInfo> live = new ConcurrentHashMap<>();
    final List<String> stepDowns = new ArrayList<>();
    final List<String> handOvers = new ArrayList<>();
    final List<String> logFailures = new ArrayList<>();
    /** The ISR of every state the session reported writing, in order. */
    final List<List<String>> isrChanges = new ArrayList<>();

    long commitIndex;
    /** What {@link #balancingPaused()} answers: the group-wide pause flag as the test sets it. */
    volatile boolean paused;

    LoopHost(MemberInfo... members) {
        for (MemberInfo m : members) live.put(m.id(), m);
    }

    static MemberInfo member(String id, String dataDirId) {
        return new MemberInfo(id, "http://" + id + ".invalid", "test", 0, dataDirId, 0, Map.of(), true);
    }

    /** Runs every task posted so far, and those they post, until the loop is idle. */
    void runLoop() {
        Runnable task;
        while ((task = tasks.poll()) != null) task.run();
    }

    @Override
    public void onLoop(Runnable task) {
        tasks.add(task);
    }

    @Override
    public void commitAdvanced(long commitIndex) {
        this.commitIndex = commitIndex;
    }

    @Override
    public void stepDown(String reason) {
        stepDowns.add(reason);
    }

    @Override
    public void higherEpochSeen(long epoch) {}

    @Override
    public Map<String, MemberInfo> liveMembers() {
        return Map.copyOf(live);
    }

    @Override
    public void logFailed(String why) {
        logFailures.add(why);
    }

    @Override
    public void handOver(String reason) {
        handOvers.add(reason);
    }

    @Override
    public void isrChanged(PartitionState written, String why) {
        isrChanges.add(written.isrMemberIds());
    }

    @Override
    public boolean balancingPaused() {
        return paused;
    }
}
