package io.understudy.sidecar.replication;

import java.util.concurrent.CompletionException;

/** The failure behind a {@link CompletionException} from a dependent stage, which only wraps it. */
final class CompletionCause {
    private CompletionCause() {}

    static Throwable of(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
