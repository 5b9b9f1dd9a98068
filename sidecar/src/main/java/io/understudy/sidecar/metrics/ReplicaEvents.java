package io.understudy.sidecar.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.understudy.sidecar.coordination.PartitionState;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * This member's elections and ISR changes: counted ({@code understudy_elections_total},
 * {@code understudy_isr_changes_total}, by partition) and kept, the newest {@code capacity} of them, for
 * {@code GET /v1/events}. Only the member that won an election or wrote an ISR change records it, so summing the
 * counters over the members of a group counts each event once. Fed on partition loops, read on HTTP threads.
 */
public final class ReplicaEvents {
    /** How many events are kept by default. */
    public static final int DEFAULT_CAPACITY = 256;

    private final Clock clock;
    private final int capacity;
    private final List<Counter> elections = new ArrayList<>();
    private final List<Counter> isrChanges = new ArrayList<>();
    /** Newest first; guarded by {@code this}. */
    private final Deque<ReplicaEvent> recent = new ArrayDeque<>();

    ReplicaEvents(MeterRegistry registry, int partitions, Clock clock, int capacity) {
        this.clock = clock;
        this.capacity = capacity;
        for (int p = 0; p < partitions; p++) {
            String partition = Integer.toString(p);
            elections.add(Counter.builder("understudy_elections")
                    .description("elections this member won: epochs it claimed and led")
                    .tag("partition", partition)
                    .register(registry));
            isrChanges.add(Counter.builder("understudy_isr_changes")
                    .description("ISR changes this member wrote to ZooKeeper (as leader, or taking over the ISR)")
                    .tag("partition", partition)
                    .register(registry));
        }
    }

    /** This member won the election of {@code claimed}'s epoch. */
    public void elected(int partition, PartitionState claimed) {
        record(elections, partition, ReplicaEvent.Kind.ELECTION, claimed, "");
    }

    /** This member wrote {@code written}, a new ISR, for {@code why}. */
    public void isrChanged(int partition, PartitionState written, String why) {
        record(isrChanges, partition, ReplicaEvent.Kind.ISR_CHANGE, written, why);
    }

    private void record(
            List<Counter> counters, int partition, ReplicaEvent.Kind kind, PartitionState state, String why) {
        counters.get(partition).increment();
        ReplicaEvent event = new ReplicaEvent(
                clock.instant(), partition, kind, state.epoch(), state.leader(), state.isrMemberIds(), why);
        synchronized (this) {
            recent.addFirst(event);
            if (recent.size() > capacity) recent.removeLast();
        }
    }

    /** The newest {@code limit} events (at most the capacity), newest first. */
    public synchronized List<ReplicaEvent> recent(int limit) {
        List<ReplicaEvent> newest = new ArrayList<>(Math.min(limit, recent.size()));
        Iterator<ReplicaEvent> events = recent.iterator();
        while (newest.size() < limit && events.hasNext()) newest.add(events.next());
        return newest;
    }

    public int capacity() {
        return capacity;
    }
}
