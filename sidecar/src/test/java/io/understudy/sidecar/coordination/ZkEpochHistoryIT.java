package io.understudy.sidecar.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every epoch claim that wins leaves one history entry, one that loses leaves none; the history is bounded. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ZkEpochHistoryIT {
    private static final int KEPT = 3;

    private final ObjectMapper json = new ObjectMapper();
    private final ZkPaths paths = new ZkPaths("history-it");
    private TestingServer zk;
    private CuratorFramework client;
    private ZkPartitionStateStore store;
    private ZkEpochHistory history;
    private String latch;

    @BeforeEach
    void start() throws Exception {
        zk = new TestingServer(true);
        client = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100));
        client.start();
        store = new ZkPartitionStateStore(client, paths, json, Runnable::run, KEPT);
        history = new ZkEpochHistory(client, paths, json);
        store.initialize(0).get();
        latch = client.create()
                .creatingParentsIfNeeded()
                .withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                .forPath(paths.latch(0) + "/latch-");
    }

    @AfterEach
    void stop() throws Exception {
        store.close();
        client.close();
        zk.close();
    }

    private Versioned<PartitionState> claim(Versioned<PartitionState> seen, String leader) throws Exception {
        PartitionState next = seen.value().ledBy(leader, seen.value().epoch() + 1);
        return store.claim(0, next, seen.version(), latch).get();
    }

    @Test
    void aWinningClaimRecordsItsEpochLeaderAndIsr() throws Exception {
        Versioned<PartitionState> seen = store.read(0).get();
        seen = new Versioned<>(
                seen.value(),
                store.compareAndSet(0, seen.value().withIsr(List.of(new IsrMember("node-1", "d1"))), 0)
                        .get()
                        .version());

        claim(store.read(0).get(), "node-1");

        List<EpochRecord> records = history.read(0);
        assertEquals(1, records.size(), records.toString());
        assertEquals(1, records.get(0).epoch());
        assertEquals("node-1", records.get(0).leader());
        assertEquals(List.of("node-1"), records.get(0).isr());
        assertTrue(records.get(0).at() > 0, records.toString());
    }

    @Test
    void aLosingClaimRecordsNothing() throws Exception {
        Versioned<PartitionState> stale = store.read(0).get();
        claim(stale, "node-1");

        ExecutionException lost = assertThrows(ExecutionException.class, () -> claim(stale, "node-2"));

        assertTrue(lost.getCause() instanceof StaleVersionException, lost.toString());
        List<EpochRecord> records = history.read(0);
        assertEquals(
                List.of("node-1"), records.stream().map(EpochRecord::leader).toList());
    }

    @Test
    void theHistoryKeepsOnlyTheLatestClaims() throws Exception {
        for (int i = 1; i <= KEPT + 2; i++) claim(store.read(0).get(), "node-" + i);

        List<EpochRecord> records = history.read(0);

        assertEquals(
                List.of(3L, 4L, 5L), records.stream().map(EpochRecord::epoch).toList());
    }

    @Test
    void aPartitionNoClaimReachedHasNoHistoryToRead() {
        CoordinationException none = assertThrows(CoordinationException.class, () -> history.read(7));

        assertTrue(none.getMessage().contains("check the group and partition"), none.getMessage());
    }
}
