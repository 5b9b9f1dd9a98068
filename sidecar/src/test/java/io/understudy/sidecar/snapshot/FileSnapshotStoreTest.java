package io.understudy.sidecar.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.log.DataDirectory;
import io.understudy.sidecar.log.Position;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class FileSnapshotStoreTest {
    @TempDir
    Path root;

    @Test
    void aSavedSnapshotIsTheLatestAndReadsBackVerified() throws IOException {
        try (DataDirectory dir = DataDirectory.open(root.resolve("node-1"))) {
            FileSnapshotStore store = new FileSnapshotStore(dir);
            assertTrue(store.latest(0).isEmpty());
            SnapshotInfo saved = store.save(0, new Position(3, 120), bytes("state at 120"));
            store.save(1, new Position(1, 7), bytes("other partition"));

            assertEquals(saved, store.latest(0).orElseThrow());
            assertEquals(120, saved.index());
            try (InputStream in = store.open(saved)) {
                assertArrayEquals("state at 120".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
            }
        }
    }

    @Test
    void theLatestSurvivesAReopenAndOnlyTheNewestTwoAreKept() throws IOException {
        Path path = root.resolve("node-1");
        try (DataDirectory dir = DataDirectory.open(path)) {
            FileSnapshotStore store = new FileSnapshotStore(dir);
            for (long index = 10; index <= 40; index += 10) store.save(0, new Position(1, index), bytes("s" + index));
        }
        try (DataDirectory dir = DataDirectory.open(path)) {
            assertEquals(40, new FileSnapshotStore(dir).latest(0).orElseThrow().index());
            try (Stream<Path> files = Files.list(dir.partitionDir(0).resolve(FileSnapshotStore.DIR))) {
                assertEquals(4, files.count(), "two snapshots, each a data and a meta file");
            }
        }
    }

    @Test
    void aSaveCutShortBeforeItsMetaIsWrittenIsNotASnapshot() throws IOException {
        try (DataDirectory dir = DataDirectory.open(root.resolve("node-1"))) {
            FileSnapshotStore store = new FileSnapshotStore(dir);
            store.save(0, new Position(1, 5), bytes("five"));
            Path snapshots = dir.partitionDir(0).resolve(FileSnapshotStore.DIR);
            Files.writeString(snapshots.resolve(String.format("%020d-1.snapshot", 9)), "half of nine");

            assertEquals(5, store.latest(0).orElseThrow().index());
        }
    }

    @Test
    void aFlippedByteIsReportedWhenTheStreamReachesItsEnd() throws IOException {
        try (DataDirectory dir = DataDirectory.open(root.resolve("node-1"))) {
            FileSnapshotStore store = new FileSnapshotStore(dir);
            SnapshotInfo saved = store.save(0, new Position(2, 8), bytes("abcdefgh"));
            Path data =
                    dir.partitionDir(0).resolve(FileSnapshotStore.DIR).resolve(String.format("%020d-2.snapshot", 8));
            Files.write(data, "abcdXfgh".getBytes(StandardCharsets.UTF_8), StandardOpenOption.TRUNCATE_EXISTING);

            try (InputStream in = store.open(saved)) {
                CorruptSnapshotException e = assertThrows(CorruptSnapshotException.class, in::readAllBytes);
                assertTrue(e.getMessage().contains("p0 at (e2, i8)"), e.getMessage());
            }
        }
    }

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
