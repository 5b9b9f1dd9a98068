package io.understudy.sidecar.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.understudy.sidecar.coordination.IsrMember;
import io.understudy.sidecar.coordination.PartitionState;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Elections and ISR changes are counted and kept, newest first, in a ring of fixed size. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReplicaEventsTest {
    private static final Instant NOW = Instant.parse("2026-12-03T17:00:00Z");
    private final SidecarMetrics metrics = new SidecarMetrics("g", "node-1", 2, Clock.fixed(NOW, ZoneOffset.UTC), 3);
    private final ReplicaEvents events = metrics.events();

    @AfterEach
    void close() {
        metrics.close();
    }

    private static PartitionState state(long epoch, String leader, String... isr) {
        return new PartitionState(
                epoch,
                leader,
                java.util.Arrays.stream(isr)
                        .map(m -> new IsrMember(m, "dir-" + m))
                        .toList(),
                0);
    }

    @Test
    void anElectionAndAnIsrChangeAreCountedByPartitionAndListedNewestFirst() {
        events.elected(1, state(7, "node-1", "node-1", "node-2"));
        events.isrChanged(1, state(7, "node-1", "node-1"), "ISR shrinks [node-2: its ZooKeeper session ended]");

        Scrape s = new Scrape(metrics.scrape());
        assertEquals(1, s.value("understudy_elections_total", "partition=\"1\""));
        assertEquals(0, s.value("understudy_elections_total", "partition=\"0\""), "every partition from the start");
        assertEquals(1, s.value("understudy_isr_changes_total", "partition=\"1\""));

        assertEquals(
                List.of(
                        new ReplicaEvent(
                                NOW,
                                1,
                                ReplicaEvent.Kind.ISR_CHANGE,
                                7,
                                "node-1",
                                List.of("node-1"),
                                "ISR shrinks [node-2: its ZooKeeper session ended]"),
                        new ReplicaEvent(
                                NOW, 1, ReplicaEvent.Kind.ELECTION, 7, "node-1", List.of("node-1", "node-2"), "")),
                events.recent(50));
    }

    @Test
    void theRingKeepsTheNewestEventsOnlyWhileTheCountersKeepCounting() {
        for (int epoch = 1; epoch <= 5; epoch++) events.elected(0, state(epoch, "node-1", "node-1"));

        assertEquals(
                List.of(5L, 4L, 3L),
                events.recent(10).stream().map(ReplicaEvent::epoch).toList());
        assertEquals(
                List.of(5L, 4L),
                events.recent(2).stream().map(ReplicaEvent::epoch).toList());
        assertEquals(5, new Scrape(metrics.scrape()).value("understudy_elections_total", "partition=\"0\""));
    }
}
