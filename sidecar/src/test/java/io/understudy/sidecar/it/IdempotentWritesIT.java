package io.understudy.sidecar.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Three sidecars, a real ZooKeeper, real sockets: a write retried with its {@code Idempotency-Key} is answered
 * with the original entry, through any member and across a change of leader, and every app applies it once.
 */
class IdempotentWritesIT extends ThreeMemberClusterTest {

    /** How the test takes the leader away. */
    private interface Failure {
        void apply(int leader) throws Exception;
    }

    @Test
    void aRetryThroughAnotherMemberAfterTheLeaderStopsGetsTheOriginalIndexAndAppsHoldTheItemOnce() throws Exception {
        retryAfterLosingTheLeader(cluster::stop);
    }

    @Test
    void aRetryAfterTheLeadersSessionExpiresGetsTheOriginalIndexFromTheNewLeader() throws Exception {
        // No graceful hand-over: ZooKeeper drops the leader as after a crash, and another member claims a new epoch.
        retryAfterLosingTheLeader(cluster::expireSession);
    }

    private void retryAfterLosingTheLeader(Failure failure) throws Exception {
        int leader = cluster.leader();
        List<Integer> followers = others(leader);
        var first = cluster.write(followers.get(0), "item-1", "{\"price\":3}", "sync", "retry-me-1");
        assertEquals(200, first.statusCode(), first.body());
        var again = cluster.write(followers.get(1), "item-1", "{\"price\":3}", "sync", "retry-me-1");
        assertEquals(200, again.statusCode(), again.body());
        assertEquals(position(first), position(again), "a retry forwarded by another follower: same entry");

        failure.apply(leader);
        await().atMost(DEADLINE).until(() -> cluster.leader() > 0 && cluster.leader() != leader);
        AtomicReference<HttpResponse<String>> retry = new AtomicReference<>();
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).until(() -> {
            retry.set(cluster.write(followers.get(1), "item-1", "{\"price\":3}", "sync", "retry-me-1"));
            return retry.get().statusCode() != 503; // 503 while the new leader takes over: nothing written
        });

        assertEquals(200, retry.get().statusCode(), retry.get().body());
        assertEquals(position(first), position(retry.get()), "the new leader knows the key from its log");
        var next = cluster.write(followers.get(0), "item-2", "{}", "sync");
        assertEquals(200, next.statusCode(), next.body());
        for (int m : followers) {
            await().atMost(DEADLINE).until(() -> cluster.app(m).keys().contains("item-2"));
            assertEquals(
                    1,
                    cluster.app(m).keys().stream().filter("item-1"::equals).count(),
                    "node-" + m + " applied item-1 once: " + cluster.app(m).keys());
            assertEquals(List.of(), cluster.app(m).anomalies());
        }
    }

    @Test
    void theSameKeyWithAnotherBodyIs422AndWritesNothing() throws Exception {
        int leader = cluster.leader();
        int follower = others(leader).get(0);
        var first = cluster.write(leader, "item-9", "{\"v\":1}", "sync", "key-9");
        assertEquals(200, first.statusCode(), first.body());

        var onLeader = cluster.write(leader, "item-9", "{\"v\":2}", "sync", "key-9");
        var forwarded = cluster.write(follower, "item-9", "{\"v\":2}", "async", "key-9");
        var otherEntryKey = cluster.write(leader, "item-10", "{\"v\":1}", "sync", "key-9");

        assertEquals(422, onLeader.statusCode(), onLeader.body());
        assertTrue(onLeader.body().contains("Idempotency-Key"), onLeader.body());
        assertEquals(422, forwarded.statusCode(), forwarded.body());
        // item-10 may map to the same partition or not; with one partition it is the same window.
        assertEquals(422, otherEntryKey.statusCode(), otherEntryKey.body());
        long logEnd = cluster.sidecar(leader).replicas().replica(0).log().logEnd();
        assertEquals(Long.parseLong(position(first).split(":")[1]), logEnd, "nothing was appended");
    }

    @Test
    void anIdempotencyKeyOutside1To128VisibleCharactersIs400() throws Exception {
        int leader = cluster.leader();
        var tooLong = cluster.write(leader, "k", "x", "sync", "k".repeat(129));
        var longest = cluster.write(leader, "k", "x", "sync", "k".repeat(128));

        assertEquals(400, tooLong.statusCode(), tooLong.body());
        assertTrue(tooLong.body().contains("Idempotency-Key"), tooLong.body());
        assertEquals(200, longest.statusCode(), longest.body());
    }

    private static List<Integer> others(int member) {
        List<Integer> others = new ArrayList<>(List.of(1, 2, 3));
        others.remove(Integer.valueOf(member));
        return others;
    }

    /** "epoch:index" of an acknowledgement. */
    private static String position(HttpResponse<String> ack) {
        String body = ack.body();
        return body.replaceAll(".*\"epoch\":(\\d+).*", "$1") + ":" + body.replaceAll(".*\"index\":(\\d+).*", "$1");
    }
}
