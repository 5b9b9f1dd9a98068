package io.understudy.sidecar.metrics;

import java.time.Instant;
import java.util.List;

/**
 * One election or ISR change this member made, as {@code GET /v1/events} shows it.
 *
 * @param epoch the partition's epoch after the event
 * @param leader the leader the partition's state names after the event
 * @param isr the ISR after the event
 * @param reason why, in words (for an ISR change: who left or joined and why); empty for an election
 */
public record ReplicaEvent(
        Instant at, int partition, Kind kind, long epoch, String leader, List<String> isr, String reason) {

    /** What happened. */
    public enum Kind {
        /** This member claimed a new epoch and leads it. */
        ELECTION,
        /** This member wrote a new ISR to ZooKeeper. */
        ISR_CHANGE
    }
}
