package io.understudy.sidecar.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Timer;
import io.understudy.sidecar.log.ChannelForce;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;

/** A {@link ChannelForce} that times every force of a log file (an {@code fsync}), failed ones included. */
final class TimedForce implements ChannelForce {
    private final ChannelForce force;
    private final Timer timer;
    private final Clock clock;

    TimedForce(ChannelForce force, Timer timer, Clock clock) {
        this.force = force;
        this.timer = timer;
        this.clock = clock;
    }

    @Override
    public void force(FileChannel channel, boolean metaData) throws IOException {
        long start = clock.monotonicTime();
        try {
            force.force(channel, metaData);
        } finally {
            timer.record(clock.monotonicTime() - start, TimeUnit.NANOSECONDS);
        }
    }
}
