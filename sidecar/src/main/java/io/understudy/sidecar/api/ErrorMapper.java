package io.understudy.sidecar.api;

import io.understudy.sidecar.replication.IdempotencyMismatchException;
import io.understudy.sidecar.replication.LeadershipLostException;
import io.understudy.sidecar.replication.LogWriteFailedException;
import io.understudy.sidecar.replication.MemberRemovalException;
import io.understudy.sidecar.replication.MemberRemovedException;
import io.understudy.sidecar.replication.NotEnoughReplicasException;
import io.understudy.sidecar.replication.NotLeaderException;
import io.understudy.sidecar.replication.OverloadedException;
import io.understudy.sidecar.replication.PartitionFailedException;
import io.understudy.sidecar.replication.StartingException;
import io.understudy.sidecar.replication.SwitchoverException;
import io.understudy.sidecar.replication.UnderReplicatedException;
import io.understudy.sidecar.replication.UnknownPartitionException;
import io.undertow.server.RequestTooBigException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where failures become error codes, HTTP statuses and JSON error bodies. */
public final class ErrorMapper {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

    /** A code, what the client may assume about its write, and a message a person can act on. */
    public record Failure(ErrorCode code, Outcome outcome, String message) {
        Failure(ErrorCode code, String message) {
            this(code, code.outcome(), message);
        }

        public int status() {
            return code.status();
        }
    }

    private final Consumer<Throwable> onError;

    /** @param onError hears of every {@link Error} a failure wraps: a member with such a failure must stop */
    public ErrorMapper(Consumer<Throwable> onError) {
        this.onError = onError;
    }

    public Failure map(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof Error) onError.accept(e);
        if (e instanceof StatusException s) return new Failure(s.code(), s.outcome(), s.getMessage());
        if (e instanceof BadRequestException) return new Failure(ErrorCode.BAD_REQUEST, e.getMessage());
        if (e instanceof RequestTooBigException) {
            return new Failure(
                    ErrorCode.TOO_LARGE, "request body too large: " + e.getMessage() + " (api.maxBodyBytes)");
        }
        if (e instanceof UnknownPartitionException) return new Failure(ErrorCode.UNKNOWN_PARTITION, e.getMessage());
        if (e instanceof IdempotencyMismatchException) {
            return new Failure(ErrorCode.IDEMPOTENCY_MISMATCH, e.getMessage());
        }
        if (e instanceof NotLeaderException n) {
            return new Failure(n.leader() == null ? ErrorCode.NO_LEADER : ErrorCode.NOT_LEADER, e.getMessage());
        }
        if (e instanceof SwitchoverException refused) return new Failure(switchoverCode(refused), e.getMessage());
        if (e instanceof MemberRemovalException refused) return new Failure(removalCode(refused), e.getMessage());
        if (e instanceof MemberRemovedException) return new Failure(ErrorCode.MEMBER_REMOVED, e.getMessage());
        if (e instanceof NotEnoughReplicasException) return new Failure(ErrorCode.NOT_ENOUGH_REPLICAS, e.getMessage());
        if (e instanceof OverloadedException) return new Failure(ErrorCode.OVERLOADED, e.getMessage());
        if (e instanceof StartingException) return new Failure(ErrorCode.STARTING, e.getMessage());
        if (e instanceof PartitionFailedException) {
            return new Failure(ErrorCode.PARTITION_FAILED, Outcome.REJECTED, e.getMessage());
        }
        if (e instanceof LeadershipLostException || e instanceof UnderReplicatedException) {
            return new Failure(ErrorCode.OUTCOME_UNKNOWN, e.getMessage());
        }
        if (e instanceof LogWriteFailedException) {
            return new Failure(ErrorCode.PARTITION_FAILED, Outcome.UNKNOWN, e.getMessage());
        }
        if (e instanceof TimeoutException || e instanceof HttpTimeoutException) {
            return new Failure(ErrorCode.TIMEOUT, "timed out: " + e.getMessage() + "; the write's outcome is unknown");
        }
        if (e instanceof ConnectException) {
            return new Failure(
                    ErrorCode.LEADER_UNREACHABLE,
                    "the partition leader refused the connection, the write was not taken: " + e);
        }
        if (e instanceof IOException) {
            return new Failure(
                    ErrorCode.OUTCOME_UNKNOWN,
                    "the exchange with the partition leader broke (" + e + "); the write's" + " outcome is unknown");
        }
        log.error("unexpected failure", e);
        return new Failure(ErrorCode.INTERNAL, "internal error: " + e);
    }

    private static ErrorCode switchoverCode(SwitchoverException e) {
        return switch (e.reason()) {
            case TARGET_IS_LEADER -> ErrorCode.TARGET_IS_LEADER;
            case UNKNOWN_MEMBER -> ErrorCode.UNKNOWN_MEMBER;
            case TARGET_NOT_ALIVE -> ErrorCode.TARGET_NOT_ALIVE;
            case TARGET_NOT_IN_SYNC -> ErrorCode.TARGET_NOT_IN_SYNC;
            case IN_PROGRESS -> ErrorCode.SWITCHOVER_IN_PROGRESS;
            case TIMED_OUT -> ErrorCode.SWITCHOVER_TIMEOUT;
            case INTERRUPTED -> ErrorCode.SWITCHOVER_INTERRUPTED;
        };
    }

    private static ErrorCode removalCode(MemberRemovalException e) {
        return switch (e.reason()) {
            case UNKNOWN_MEMBER -> ErrorCode.UNKNOWN_MEMBER;
            case BELOW_MIN_IN_SYNC -> ErrorCode.REMOVAL_BELOW_MIN_IN_SYNC;
            case TIMED_OUT -> ErrorCode.REMOVAL_TIMEOUT;
        };
    }

    static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
