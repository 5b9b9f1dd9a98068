package io.understudy.sidecar.api.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.understudy.sidecar.api.ErrorMapper;
import io.understudy.sidecar.api.HttpApi;
import io.understudy.sidecar.api.Responses;
import io.understudy.sidecar.log.DataDirectory;
import io.understudy.sidecar.log.Position;
import io.understudy.sidecar.snapshot.CorruptSnapshotException;
import io.understudy.sidecar.snapshot.FileSnapshotStore;
import io.understudy.sidecar.snapshot.SnapshotInfo;
import io.undertow.server.HttpHandler;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /peer/v1/snapshot} between a leader's store and a follower's, over real sockets. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SnapshotTransferIT {
    private final ObjectMapper json = new ObjectMapper();
    private final List<Throwable> fatal = new CopyOnWriteArrayList<>();
    private final Responses responses = new Responses(json, new ErrorMapper(fatal::add));

    @TempDir
    Path root;

    private DataDirectory leaderDir;
    private DataDirectory followerDir;
    private FileSnapshotStore leaderStore;
    private FileSnapshotStore followerStore;
    private HttpApi api;
    private String url;

    @BeforeEach
    void start() throws Exception {
        leaderDir = DataDirectory.open(root.resolve("leader"));
        followerDir = DataDirectory.open(root.resolve("follower"));
        leaderStore = new FileSnapshotStore(leaderDir);
        followerStore = new FileSnapshotStore(followerDir);
        HttpHandler none = exchange -> responses.send(exchange, 200, "{}");
        api = new HttpApi(
                "127.0.0.1",
                0,
                new HttpApi.LocalHandlers(
                        none, none, none, none, none, none, none, none, none, none, none, none, none, none, none, none,
                        none, none, none, none),
                "127.0.0.1",
                0,
                new HttpApi.PeerHandlers(none, none, none, none, none, new SnapshotHandler(leaderStore, 2, responses)),
                next -> new TokenCheck("secret", responses, next),
                responses);
        api.start();
        url = "http://127.0.0.1:" + api.peerPort();
    }

    @AfterEach
    void stop() throws IOException {
        api.close();
        leaderDir.close();
        followerDir.close();
    }

    private HttpPeerClient client(String token) {
        return new HttpPeerClient(json, token, Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    @Test
    void aFollowerFetchesTheLeadersLatestSnapshotByteForByte() throws Exception {
        byte[] state = new byte[3 << 20];
        new Random(7).nextBytes(state);
        leaderStore.save(1, new Position(2, 90), new ByteArrayInputStream(new byte[] {1}));
        SnapshotInfo latest = leaderStore.save(1, new Position(3, 120), new ByteArrayInputStream(state));

        SnapshotInfo fetched = client("secret").fetchSnapshot(url, 1, followerStore);

        assertEquals(latest, fetched);
        assertEquals(latest, followerStore.latest(1).orElseThrow());
        try (InputStream in = followerStore.open(fetched)) {
            assertArrayEquals(state, in.readAllBytes());
        }
    }

    @Test
    void noSnapshotIsNotFoundAndNothingIsStored() throws Exception {
        assertThrows(FileNotFoundException.class, () -> client("secret").fetchSnapshot(url, 0, followerStore));

        assertTrue(followerStore.latest(0).isEmpty());
    }

    @Test
    void aSnapshotDamagedOnTheLeadersDiskIsNeverStoredByTheFollower() throws Exception {
        SnapshotInfo saved =
                leaderStore.save(0, new Position(1, 10), new ByteArrayInputStream("the state at 10".getBytes()));
        Path data = root.resolve("leader/partition-0/snapshots/00000000000000000010-1.snapshot");
        byte[] bytes = Files.readAllBytes(data);
        bytes[3] ^= 0x20;
        Files.write(data, bytes);

        IOException refused =
                assertThrows(IOException.class, () -> client("secret").fetchSnapshot(url, 0, followerStore));

        assertTrue(
                refused instanceof CorruptSnapshotException || refused.getMessage() != null,
                () -> "refused: " + refused);
        assertTrue(followerStore.latest(0).isEmpty(), "nothing stored for " + saved);
    }

    @Test
    void aRequestWithoutTheGroupsTokenIsRefused() {
        IOException refused =
                assertThrows(IOException.class, () -> client("wrong").fetchSnapshot(url, 0, followerStore));

        assertTrue(refused.getMessage().contains("401"), refused.getMessage());
    }
}
