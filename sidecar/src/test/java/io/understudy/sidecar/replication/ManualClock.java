package io.understudy.sidecar.replication;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A wall clock a test moves by hand, also to play an NTP step or an operator changing the time. */
final class ManualClock extends Clock {
    private volatile Instant now;

    ManualClock() {
        this(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
    }

    ManualClock(long startMillis) {
        this.now = Instant.ofEpochMilli(startMillis);
    }

    @Override
    public Instant instant() {
        return now;
    }

    void jump(Duration by) {
        now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}
