package io.understudy.sidecar.backup;

import java.io.IOException;

/** A backup or restore that cannot go ahead; the message says why and what to do, for the operator as it is. */
public final class BackupFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    public BackupFailedException(String message) {
        super(message);
    }
}
