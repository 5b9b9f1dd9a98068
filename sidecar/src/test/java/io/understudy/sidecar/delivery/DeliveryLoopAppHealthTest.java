package io.understudy.sidecar.delivery;

import static org.awaitility.Awaitility.await;

import io.understudy.sidecar.config.AppConfig;
import io.understudy.sidecar.log.DataDirectory;
import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.PartitionLog;
import io.understudy.sidecar.log.Position;
import io.understudy.sidecar.log.RecordBatch;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Readiness depends on {@link DeliveryLoop#appHealthy()}: it must follow the app even with nothing to deliver. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DeliveryLoopAppHealthTest {
    @TempDir
    Path dir;

    @Test
    void anAppThatStartsAfterItsSidecarIsHealthyOnceItAnswersEvenWithNothingToDeliver() throws IOException {
        AtomicBoolean appUp = new AtomicBoolean(false);
        AppConfig settings = new AppConfig(
                Optional.of(URI.create("http://127.0.0.1:1")),
                256,
                Duration.ofSeconds(1),
                Duration.ofMillis(20),
                Duration.ofMillis(50));
        try (DataDirectory data = DataDirectory.open(dir);
                DeliveryLoop loop = new DeliveryLoop(
                        "node-1",
                        0,
                        new EmptyLog(),
                        () -> 0,
                        data.durableLong("applied"),
                        new SwitchableApp(appUp),
                        () -> new RoleNotice("follower", 1, "node-2"),
                        settings)) {
            loop.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> !loop.appHealthy());

            appUp.set(true);

            await().atMost(Duration.ofSeconds(5)).until(loop::appHealthy);
        }
    }

    /** A partition log with no entries: the group has taken no write yet. */
    private static final class EmptyLog implements PartitionLog {
        @Override
        public long logEnd() {
            return 0;
        }

        @Override
        public Position lastPosition() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long epochAt(long index) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void append(List<Entry> entries) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void sync() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void truncateAfter(long index) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Entry> read(long fromIndex, int maxEntries, long maxBytes) {
            return List.of();
        }

        @Override
        public RecordBatch readRecords(long fromIndex, int maxEntries, long maxBytes) {
            return RecordBatch.of(List.of());
        }

        @Override
        public void close() {}
    }

    /** An app that refuses connections until {@code up} is set, then holds nothing and takes every notice. */
    private record SwitchableApp(AtomicBoolean up) implements HostAppClient {
        @Override
        public Applied apply(int partition, List<Entry> entries) throws IOException {
            throw new AssertionError("nothing is committed, nothing may be delivered");
        }

        @Override
        public OptionalLong position(int partition) throws IOException {
            if (!up.get()) throw new ConnectException("connection refused");
            return OptionalLong.of(0);
        }

        @Override
        public void notifyRole(int partition, RoleNotice notice) throws IOException {
            if (!up.get()) throw new ConnectException("connection refused");
        }

        @Override
        public void close() {}
    }
}
