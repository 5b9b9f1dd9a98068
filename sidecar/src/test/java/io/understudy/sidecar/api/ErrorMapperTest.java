package io.understudy.sidecar.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.replication.LeadershipLostException;
import io.understudy.sidecar.replication.LogWriteFailedException;
import io.understudy.sidecar.replication.NotEnoughReplicasException;
import io.understudy.sidecar.replication.NotLeaderException;
import io.understudy.sidecar.replication.OverloadedException;
import io.understudy.sidecar.replication.UnderReplicatedException;
import io.understudy.sidecar.replication.UnknownPartitionException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ErrorMapperTest {
    private final List<Throwable> fatal = new ArrayList<>();
    private final ErrorMapper mapper = new ErrorMapper(fatal::add);

    private void assertMaps(Throwable error, ErrorCode code, Outcome outcome) {
        ErrorMapper.Failure failure = mapper.map(error);
        assertEquals(code, failure.code(), failure.toString());
        assertEquals(outcome, failure.outcome(), failure.toString());
        assertEquals(code.status(), failure.status());
        assertTrue(!failure.message().isBlank());
    }

    @Test
    void requestsThatWroteNothingAreRejected() {
        assertMaps(new BadRequestException("partition must fit"), ErrorCode.BAD_REQUEST, Outcome.REJECTED);
        assertMaps(new UnknownPartitionException(7, 2), ErrorCode.UNKNOWN_PARTITION, Outcome.REJECTED);
        assertMaps(new NotEnoughReplicasException(0, 1, 2), ErrorCode.NOT_ENOUGH_REPLICAS, Outcome.REJECTED);
        assertMaps(new OverloadedException("4096 writes pending"), ErrorCode.OVERLOADED, Outcome.REJECTED);
        assertMaps(new ConnectException("refused"), ErrorCode.LEADER_UNREACHABLE, Outcome.REJECTED);
    }

    @Test
    void aPartitionWithoutLeaderIsNoLeaderAndAnUnreachableOneIsNotLeader() {
        assertMaps(new NotLeaderException(0, null, "no leader elected yet"), ErrorCode.NO_LEADER, Outcome.REJECTED);
        assertMaps(
                new NotLeaderException(0, "node-1", "leader node-1 is not alive"),
                ErrorCode.NOT_LEADER,
                Outcome.REJECTED);
    }

    @Test
    void writesThatMayHaveBeenTakenHaveUnknownOutcome() {
        assertMaps(new LeadershipLostException(0, 3, "session lost"), ErrorCode.OUTCOME_UNKNOWN, Outcome.UNKNOWN);
        assertMaps(new UnderReplicatedException(0, 9, 1, 2), ErrorCode.OUTCOME_UNKNOWN, Outcome.UNKNOWN);
        assertMaps(new TimeoutException("forward"), ErrorCode.TIMEOUT, Outcome.UNKNOWN);
        assertMaps(new IOException("connection reset"), ErrorCode.OUTCOME_UNKNOWN, Outcome.UNKNOWN);
    }

    @Test
    void aLeaderSideDiskErrorIsAnUnknownOutcomeNotARejection() {
        assertMaps(
                new LogWriteFailedException("fsync failed", new IOException("EIO")),
                ErrorCode.PARTITION_FAILED,
                Outcome.UNKNOWN);
    }

    @Test
    void aRelayedErrorKeepsTheLeadersCodeAndOutcomeThroughFutureWrappers() {
        StatusException relayed = new StatusException(ErrorCode.NOT_ENOUGH_REPLICAS, Outcome.REJECTED, "ISR of 1");
        assertMaps(new CompletionException(relayed), ErrorCode.NOT_ENOUGH_REPLICAS, Outcome.REJECTED);
    }

    @Test
    void anythingElseIsInternalWithUnknownOutcome() {
        assertMaps(new IllegalStateException("bug"), ErrorCode.INTERNAL, Outcome.UNKNOWN);
        assertEquals(List.of(), fatal);
    }

    @Test
    void anErrorInAFailedFutureIsInternalAndStopsTheMember() {
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");

        assertMaps(new CompletionException(oom), ErrorCode.INTERNAL, Outcome.UNKNOWN);

        assertEquals(List.of(oom), fatal);
    }

    @Test
    void aBare503FromAnOlderMemberOrOldCodeIsAnUnknownOutcomeNotNoLeader() {
        assertMaps(new StatusException(503, "leader busy"), ErrorCode.OUTCOME_UNKNOWN, Outcome.UNKNOWN);
        assertMaps(new StatusException(400, "bad"), ErrorCode.BAD_REQUEST, Outcome.REJECTED);
    }
}
