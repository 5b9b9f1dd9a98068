package io.understudy.sidecar.testing;

import io.understudy.sidecar.log.ChannelForce;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ChannelForce} that forces for real until {@link #arm()}ed, then fails every force as a disk that
 * reports {@code EIO} would, and counts the forces asked of it after arming.
 */
public final class FailingForce implements ChannelForce {
    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicInteger attemptsWhileArmed = new AtomicInteger();

    public void arm() {
        armed.set(true);
    }

    /** Forces asked for since {@link #arm()}. */
    public int attemptsWhileArmed() {
        return attemptsWhileArmed.get();
    }

    @Override
    public void force(FileChannel channel, boolean metaData) throws IOException {
        if (armed.get()) {
            attemptsWhileArmed.incrementAndGet();
            throw new IOException("Input/output error (injected fsync failure)");
        }
        channel.force(metaData);
    }
}
