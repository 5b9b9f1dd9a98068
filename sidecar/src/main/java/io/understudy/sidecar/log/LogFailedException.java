package io.understudy.sidecar.log;

import java.io.IOException;

/**
 * A log refuses every write because an earlier force or write failed. It stays failed until the process reopens
 * it: after a failed {@code fsync} the kernel may have dropped the dirty pages and report the next {@code fsync} as
 * successful, so nothing written before the failure can be trusted to be on the disk, and retrying proves nothing.
 */
public final class LogFailedException extends IOException {
    public LogFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
