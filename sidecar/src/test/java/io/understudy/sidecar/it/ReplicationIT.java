package io.understudy.sidecar.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.api.peer.AppendCodec;
import io.understudy.sidecar.api.peer.TokenCheck;
import io.understudy.sidecar.replication.AppendRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Three sidecars in this JVM, a real ZooKeeper, real sockets: the foundation works end to end. */
class ReplicationIT extends ThreeMemberClusterTest {
    private void awaitIsr(int size) {
        cluster.awaitIsr(size, DEADLINE);
    }

    private List<String> writeRoundRobin(List<Integer> members, String prefix, int count) throws Exception {
        List<String> acked = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int member = members.get(i % members.size());
            String key = prefix + i;
            var response = cluster.write(member, key, "{\"n\":" + i + "}", "sync");
            assertEquals(200, response.statusCode(), () -> "write through node-" + member + ": " + response.body());
            acked.add(key);
        }
        return acked;
    }

    private void awaitAppsHold(List<Integer> members, List<String> keys) {
        for (int m : members) {
            await().atMost(DEADLINE).until(() -> cluster.app(m).keys().containsAll(keys));
        }
    }

    @Test
    void writesThroughEveryMemberConvergeInEveryApp() throws Exception {
        List<String> acked = writeRoundRobin(List.of(1, 2, 3), "item-", 30);

        awaitAppsHold(List.of(1, 2, 3), acked);
        assertEquals(cluster.app(1).applied(), cluster.app(2).applied());
        assertEquals(cluster.app(1).applied(), cluster.app(3).applied());
        assertEquals(acked, cluster.app(1).keys(), "every app applies the writes in the order they were acknowledged");
        for (int m = 1; m <= 3; m++) assertEquals(List.of(), cluster.app(m).anomalies());
    }

    @Test
    void newLeaderTakesOverWithNoAcknowledgedSyncWriteMissing() throws Exception {
        List<String> before = writeRoundRobin(List.of(1, 2, 3), "before-", 20);
        int oldLeader = cluster.leader();
        List<Integer> survivors = new ArrayList<>(List.of(1, 2, 3));
        survivors.remove(Integer.valueOf(oldLeader));

        cluster.stop(oldLeader);

        await().atMost(DEADLINE).until(() -> cluster.leader() > 0 && cluster.leader() != oldLeader);
        List<String> after = new ArrayList<>();
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).until(() -> {
            var response = cluster.write(survivors.get(0), "after-first", "{}", "sync");
            return response.statusCode() == 200;
        });
        after.add("after-first");
        after.addAll(writeRoundRobin(survivors, "after-", 10));
        List<String> all = new ArrayList<>(before);
        all.addAll(after);
        awaitAppsHold(survivors, all);
        assertEquals(
                cluster.app(survivors.get(0)).applied(),
                cluster.app(survivors.get(1)).applied());
    }

    @Test
    void restartedFollowerCatchesUp() throws Exception {
        int follower = cluster.leader() == 1 ? 2 : 1;
        List<String> first = writeRoundRobin(List.of(1, 2, 3), "first-", 10);
        awaitAppsHold(List.of(follower), first);

        cluster.stop(follower);
        List<Integer> others = new ArrayList<>(List.of(1, 2, 3));
        others.remove(Integer.valueOf(follower));
        List<String> second = writeRoundRobin(others, "second-", 15);
        cluster.start(follower);

        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        awaitAppsHold(List.of(follower), all);
        assertEquals(List.of(), cluster.app(follower).anomalies(), "the restarted member's app sees each index once");
        awaitIsr(3);
    }

    @Test
    void syncWritesAreRefusedBelowMinInSyncWhileAsyncWritesGoOn() throws Exception {
        int leader = cluster.leader();
        for (int m = 1; m <= 3; m++) if (m != leader) cluster.stop(m);
        awaitIsr(1);

        var sync = cluster.write(leader, "k", "x", "sync");
        var async = cluster.write(leader, "k", "x", "async");

        assertEquals(503, sync.statusCode());
        assertTrue(sync.body().contains("minInSync"), sync.body());
        assertEquals(200, async.statusCode(), async.body());
    }

    @Test
    void readYourWritesAcrossMembers() throws Exception {
        int follower = cluster.leader() == 1 ? 2 : 1;
        var ack = cluster.write(cluster.leader(), "ryw", "v", "sync");
        String index = ack.body().replaceAll(".*\"index\":(\\d+).*", "$1");
        String epoch = ack.body().replaceAll(".*\"epoch\":(\\d+).*", "$1");

        var waited =
                cluster.get(follower, "/v1/wait?partition=0&index=" + index + "&epoch=" + epoch + "&timeoutMs=5000");
        var tooFar = cluster.get(follower, "/v1/wait?partition=0&index=999&timeoutMs=200");

        assertEquals(200, waited.statusCode(), waited.body());
        assertTrue(cluster.app(follower).keys().contains("ryw"));
        assertEquals(504, tooFar.statusCode(), tooFar.body());
    }

    @Test
    void badRequestsGetClearErrors() throws Exception {
        int member = cluster.leader();
        var badDurability = cluster.write(member, "k", "x", "maybe");
        var unknownPartition = cluster.get(member, "/v1/wait?partition=7&index=1");
        var tooBig = cluster.write(member, "k", "x".repeat(2 * 1024 * 1024), "sync");

        assertEquals(400, badDurability.statusCode());
        assertTrue(badDurability.body().contains("durability"), badDurability.body());
        assertEquals(404, unknownPartition.statusCode());
        assertEquals(413, tooBig.statusCode(), tooBig.body());
    }

    @Test
    void peerListenerRefusesStaleEpochsAndMissingTokens() throws Exception {
        int leader = cluster.leader();
        int follower = leader == 1 ? 2 : 1;
        long epoch = cluster.sidecar(follower).replicas().replica(0).status().epoch();
        byte[] stale = AppendCodec.encode(new AppendRequest(0, epoch - 1, "node-9", 0, 0, 0, List.of()));
        URI append = URI.create("http://127.0.0.1:" + cluster.sidecar(follower).peerPort() + "/peer/v1/append");
        HttpClient http = HttpClient.newHttpClient();

        var withoutToken = http.send(
                HttpRequest.newBuilder(append)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(stale))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        var fromStaleLeader = http.send(
                HttpRequest.newBuilder(append)
                        .header(TokenCheck.HEADER, "test-token")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(stale))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(401, withoutToken.statusCode());
        assertEquals(409, fromStaleLeader.statusCode(), fromStaleLeader.body());
        assertTrue(fromStaleLeader.body().contains("STALE_EPOCH"), fromStaleLeader.body());
    }
}
