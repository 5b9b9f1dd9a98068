package io.understudy.sidecar.log;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * How a log forces a file to the disk ({@code fsync}/{@code fdatasync}). The seam through which tests make a force
 * fail as a failing disk would; production uses {@link #SYSTEM}.
 */
@FunctionalInterface
public interface ChannelForce {
    /** {@link FileChannel#force(boolean)}: the operating system's own. */
    ChannelForce SYSTEM = FileChannel::force;

    void force(FileChannel channel, boolean metaData) throws IOException;
}
