package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.understudy.sidecar.config.Durability;
import io.understudy.sidecar.coordination.MemberInfo;
import io.understudy.sidecar.coordination.Membership;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Before membership is loaded a member cannot know who leads: a write is refused as STARTING, not misrouted. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ReplicaSetStartingTest {

    private static final Membership NOT_YET_REGISTERED = new Membership() {
        @Override
        public void start(MemberInfo self) {}

        @Override
        public void update(MemberInfo self) {}

        @Override
        public Map<String, MemberInfo> live() {
            return Map.of();
        }

        @Override
        public void addListener(Runnable onChange) {}

        @Override
        public void close() {}
    };

    private static final PeerClient NO_PEERS = new PeerClient() {
        @Override
        public CompletableFuture<AppendResponse> append(String peerUrl, AppendRequest request) {
            throw new AssertionError("no append expected");
        }

        @Override
        public CompletableFuture<Ack> forward(String peerUrl, WriteRequest request) {
            throw new AssertionError("no forward expected");
        }

        @Override
        public void close() {}
    };

    @Test
    void aWriteBeforeMembershipIsLoadedIsRefusedAsStarting() {
        ReplicaSet replicas = new ReplicaSet(
                List.of(),
                NOT_YET_REGISTERED,
                NO_PEERS,
                new LeaderWait(Executors.newSingleThreadScheduledExecutor(), Ticker.system(), Duration.ZERO));

        assertFalse(replicas.loaded());
        CompletableFuture<Ack> write =
                replicas.write(new WriteRequest(0, "k", "", new byte[] {1}, Durability.SYNC), false);

        ExecutionException e = assertThrows(ExecutionException.class, write::get);
        assertInstanceOf(StartingException.class, e.getCause());
    }
}
