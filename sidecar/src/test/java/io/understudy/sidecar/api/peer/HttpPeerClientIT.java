package io.understudy.sidecar.api.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.understudy.sidecar.api.ErrorCode;
import io.understudy.sidecar.api.ErrorMapper;
import io.understudy.sidecar.api.Outcome;
import io.understudy.sidecar.config.Durability;
import io.understudy.sidecar.replication.WriteRequest;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A follower forwarding a write relays the leader's error code and outcome, not prose with a suffix. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HttpPeerClientIT {
    private final ObjectMapper json = new ObjectMapper();
    private HttpServer leader;

    @AfterEach
    void stop() {
        if (leader != null) leader.stop(0);
    }

    private String leaderAnswering(int status, String body) throws Exception {
        leader = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        leader.createContext("/peer/v1/forward", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        leader.start();
        return "http://127.0.0.1:" + leader.getAddress().getPort();
    }

    private ErrorMapper.Failure forwardFailure(String url) {
        HttpPeerClient client = new HttpPeerClient(json, "t", Duration.ofSeconds(2), Duration.ofSeconds(5));
        WriteRequest write = new WriteRequest(0, "k", "", new byte[] {1}, Durability.SYNC);
        CompletionException e = assertThrows(
                CompletionException.class, () -> client.forward(url, write).join());
        return new ErrorMapper(fatal -> {
                    throw new AssertionError(fatal);
                })
                .map(e);
    }

    @Test
    void aLeadersNotEnoughReplicasIsRelayedWithItsCodeAndOutcome() throws Exception {
        String url = leaderAnswering(
                503,
                "{\"code\":\"NOT_ENOUGH_REPLICAS\",\"message\":\"ISR of 1\",\"outcome\":\"rejected\",\"error\":\"ISR of 1\"}");

        ErrorMapper.Failure failure = forwardFailure(url);

        assertEquals(ErrorCode.NOT_ENOUGH_REPLICAS, failure.code());
        assertEquals(Outcome.REJECTED, failure.outcome());
        assertEquals("ISR of 1", failure.message());
    }

    @Test
    void aLeadersUnknownOutcomeStaysUnknown() throws Exception {
        String url = leaderAnswering(
                503,
                "{\"code\":\"PARTITION_FAILED\",\"message\":\"fsync failed\",\"outcome\":\"unknown\",\"error\":\"x\"}");

        ErrorMapper.Failure failure = forwardFailure(url);

        assertEquals(ErrorCode.PARTITION_FAILED, failure.code());
        assertEquals(Outcome.UNKNOWN, failure.outcome());
    }

    @Test
    void aLeaderWithoutCodesIsReadByItsStatus() throws Exception {
        String url = leaderAnswering(400, "{\"error\":\"durability must be 'sync' or 'async'\"}");

        ErrorMapper.Failure failure = forwardFailure(url);

        assertEquals(ErrorCode.BAD_REQUEST, failure.code());
        assertEquals(Outcome.REJECTED, failure.outcome());
        assertFalse(failure.message().contains("(from "), failure.message());
    }

    @Test
    void aRefusedConnectionIsLeaderUnreachableAndRejected() throws Exception {
        String url = leaderAnswering(200, "{}");
        leader.stop(0);
        leader = null;

        ErrorMapper.Failure failure = forwardFailure(url);

        assertEquals(ErrorCode.LEADER_UNREACHABLE, failure.code());
        assertEquals(Outcome.REJECTED, failure.outcome());
    }
}
