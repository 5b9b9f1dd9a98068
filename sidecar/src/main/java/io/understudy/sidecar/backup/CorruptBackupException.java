package io.understudy.sidecar.backup;

import java.io.IOException;

/** A backup directory that is incomplete or whose files do not match its manifest: nothing is restored from it. */
public final class CorruptBackupException extends IOException {
    private static final long serialVersionUID = 1L;

    public CorruptBackupException(String message) {
        super(message);
    }
}
