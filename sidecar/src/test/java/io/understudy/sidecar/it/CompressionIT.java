package io.understudy.sidecar.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.api.peer.AppendCodec;
import io.understudy.sidecar.api.peer.PeerBodyEncoding;
import io.understudy.sidecar.api.peer.TokenCheck;
import io.understudy.sidecar.config.Compression;
import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.replication.AppendRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code replication.compression}: a group that compresses its peer appends replicates as one that does not, and a
 * follower takes compressed and plain bodies alike (members of mixed versions during a rolling upgrade) while a
 * corrupt compressed body gets a clear 400 and does no harm.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CompressionIT {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private HttpResponse<String> postAppend(int peerPort, String contentEncoding, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + peerPort + "/peer/v1/append"))
                .header(TokenCheck.HEADER, "test-token")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentEncoding != null) request.header("Content-Encoding", contentEncoding);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An append from a deposed leader carrying 64 KiB of entries: a body big enough to be compressed. */
    private static byte[] staleAppend(long epoch) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 1; i <= 16; i++) {
            byte[] payload =
                    ("{\"n\":" + i + ",\"pad\":\"" + "x".repeat(4000) + "\"}").getBytes(StandardCharsets.UTF_8);
            entries.add(new Entry(0, Math.max(1, epoch - 1), i, 0L, "k" + i, "application/json", payload, null));
        }
        return AppendCodec.encode(new AppendRequest(0, epoch - 1, "node-9", 0, 0, 0, entries));
    }

    @Test
    void aCompressingGroupReplicatesAndItsFollowersTakeEveryEncoding() throws Exception {
        try (LocalCluster cluster = new LocalCluster(dir, ", compression: lz4")) {
            cluster.startAll(3, DEADLINE);
            cluster.writeAcknowledged(cluster.leader(), 20);
            cluster.awaitApplied(3, 20, DEADLINE);

            int follower = cluster.leader() == 1 ? 2 : 1;
            int peerPort = cluster.sidecar(follower).peerPort();
            long epoch =
                    cluster.sidecar(follower).replicas().replica(0).status().epoch();
            byte[] plain = staleAppend(epoch);
            var zstd = PeerBodyEncoding.encode(Compression.ZSTD, plain);
            byte[] corrupt = PeerBodyEncoding.encode(Compression.LZ4, plain).body();
            for (int i = corrupt.length / 2; i < corrupt.length / 2 + 32; i++) corrupt[i] ^= 0x5A;

            var asPlain = postAppend(peerPort, null, plain);
            var asZstd = postAppend(peerPort, zstd.contentEncoding(), zstd.body());
            var asCorrupt = postAppend(peerPort, "lz4", corrupt);

            // Decoded, then refused for its epoch: the follower read both bodies.
            assertEquals(409, asPlain.statusCode(), asPlain.body());
            assertEquals(409, asZstd.statusCode(), asZstd.body());
            assertEquals(400, asCorrupt.statusCode(), asCorrupt.body());
            assertTrue(asCorrupt.body().contains("lz4"), asCorrupt.body());
            cluster.writeAcknowledged(cluster.leader(), 40);
            cluster.awaitApplied(3, 40, DEADLINE);
        }
    }
}
