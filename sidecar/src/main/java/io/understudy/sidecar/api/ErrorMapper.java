package io.understudy.sidecar.api;

import io.understudy.sidecar.replication.IdempotencyMismatchException;
import io.understudy.sidecar.replication.LeadershipLostException;
import io.understudy.sidecar.replication.NotEnoughReplicasException;
import io.understudy.sidecar.replication.NotLeaderException;
import io.understudy.sidecar.replication.PartitionFailedException;
import io.understudy.sidecar.replication.UnderReplicatedException;
import io.understudy.sidecar.replication.UnknownPartitionException;
import io.undertow.server.RequestTooBigException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where failures become HTTP statuses and JSON error bodies. */
public final class ErrorMapper {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

    /** An HTTP status and the message a person can act on. */
    public record Failure(int status, String message) {}

    public Failure map(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof BadRequestException) return new Failure(400, e.getMessage());
        if (e instanceof RequestTooBigException) {
            return new Failure(413, "request body too large: " + e.getMessage() + " (api.maxBodyBytes)");
        }
        if (e instanceof UnknownPartitionException) return new Failure(404, e.getMessage());
        if (e instanceof IdempotencyMismatchException) return new Failure(422, e.getMessage());
        if (e instanceof NotLeaderException
                || e instanceof NotEnoughReplicasException
                || e instanceof LeadershipLostException
                || e instanceof PartitionFailedException
                || e instanceof UnderReplicatedException) {
            return new Failure(503, e.getMessage());
        }
        if (e instanceof StatusException f) return new Failure(f.status(), f.getMessage());
        if (e instanceof TimeoutException || e instanceof HttpTimeoutException) {
            return new Failure(504, "timed out: " + e.getMessage());
        }
        if (e instanceof ConnectException || e instanceof IOException) {
            return new Failure(503, "the partition leader could not be reached: " + e);
        }
        log.error("unexpected failure", e);
        return new Failure(500, "internal error: " + e);
    }

    static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
