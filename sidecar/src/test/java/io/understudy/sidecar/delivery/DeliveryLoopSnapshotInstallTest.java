package io.understudy.sidecar.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.understudy.sidecar.config.AppConfig;
import io.understudy.sidecar.log.DataDirectory;
import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.Position;
import io.understudy.sidecar.snapshot.FileSnapshotStore;
import io.understudy.sidecar.testing.MemoryLog;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An app whose applied index is below the log's base (new, lost its memory, or its member caught up through a
 * snapshot) first gets the newest stored snapshot, then the entries after it.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DeliveryLoopSnapshotInstallTest {
    @TempDir
    Path dir;

    /** An app that holds nothing at first and records what it is handed. */
    private static final class EmptyApp implements HostAppClient {
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile long applied;

        @Override
        public Applied apply(int partition, List<Entry> entries) {
            if (entries.get(0).index() != applied + 1) return Applied.behindAt(applied);
            applied = entries.get(entries.size() - 1).index();
            calls.add("apply " + entries.get(0).index() + ".." + applied);
            return Applied.through(applied);
        }

        @Override
        public OptionalLong position(int partition) {
            return OptionalLong.of(applied);
        }

        @Override
        public void installSnapshot(int partition, long index, InputStream bytes) throws java.io.IOException {
            calls.add("install " + index + " " + new String(bytes.readAllBytes(), StandardCharsets.UTF_8));
            applied = index;
        }

        @Override
        public void notifyRole(int partition, RoleNotice notice) {}

        @Override
        public void close() {}
    }

    @Test
    void anAppBelowTheLogsBaseGetsTheSnapshotThenTheEntriesAfterIt() throws Exception {
        MemoryLog log = new MemoryLog();
        log.resetTo(new Position(2, 10));
        List<Entry> after = new ArrayList<>();
        for (long i = 11; i <= 15; i++) after.add(new Entry(0, 2, i, 0, "k" + i, "", new byte[] {1}));
        log.append(after);
        EmptyApp app = new EmptyApp();
        var executor = Executors.newSingleThreadExecutor();
        try (DataDirectory data = DataDirectory.open(dir)) {
            FileSnapshotStore store = new FileSnapshotStore(data);
            store.save(0, new Position(2, 10), new ByteArrayInputStream("state@10".getBytes(StandardCharsets.UTF_8)));
            AppSnapshots snapshots =
                    new AppSnapshots("node-1", 0, app, store, log, SnapshotSchedule.every(1000), executor);
            try (DeliveryLoop loop = new DeliveryLoop(
                    "node-1",
                    0,
                    log,
                    () -> 15,
                    data.durableLong("applied"),
                    app,
                    () -> new RoleNotice("follower", 2, "node-2"),
                    new AppConfig(
                            Optional.of(URI.create("http://127.0.0.1:1")),
                            256,
                            Duration.ofSeconds(1),
                            Duration.ofMillis(20),
                            Duration.ofMillis(50)),
                    Optional.of(snapshots))) {
                loop.start();

                await().atMost(Duration.ofSeconds(10)).until(() -> loop.appliedIndex() == 15);
            }
        } finally {
            executor.shutdownNow();
        }

        assertEquals(List.of("install 10 state@10", "apply 11..15"), app.calls);
    }
}
