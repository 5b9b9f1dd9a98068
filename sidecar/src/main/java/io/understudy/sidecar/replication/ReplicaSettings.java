package io.understudy.sidecar.replication;

import java.time.Duration;

/**
 * How a partition replica behaves.
 *
 * @param leader rules it enforces while leading
 * @param tickInterval how often it checks its latch, ISR and senders
 * @param uncleanElection whether a member outside the ISR may take over when no ISR member is alive
 * @param uncleanGrace how long no ISR member must be alive before an unclean election
 */
public record ReplicaSettings(
        LeaderSettings leader, Duration tickInterval, boolean uncleanElection, Duration uncleanGrace) {}
