package io.understudy.sidecar.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class DataDirectoryTest {
    @TempDir
    Path root;

    @Test
    void idIsCreatedOnceAndStableAcrossReopen() throws IOException {
        Path dir = root.resolve("node-1");
        String id;
        try (DataDirectory d = DataDirectory.open(dir)) {
            assertTrue(d.isNew());
            assertFalse(d.wasCleanShutdown(), "a new directory has no previous shutdown");
            id = d.id();
        }
        try (DataDirectory d = DataDirectory.open(dir)) {
            assertFalse(d.isNew());
            assertEquals(id, d.id());
        }
    }

    @Test
    void cleanShutdownIsDetectedAndConsumed() throws IOException {
        Path dir = root.resolve("node-1");
        DataDirectory.open(dir).close();
        DataDirectory second = DataDirectory.open(dir);
        assertTrue(second.wasCleanShutdown());
        assertFalse(Files.exists(dir.resolve(DataDirectory.CLEAN_SHUTDOWN_FILE)), "consumed on open");
        second.closeWithoutMarker(); // a crash
        try (DataDirectory third = DataDirectory.open(dir)) {
            assertFalse(third.wasCleanShutdown());
        }
    }

    @Test
    void secondOpenOfTheSameDirIsRefusedClearly() throws IOException {
        Path dir = root.resolve("node-1");
        try (DataDirectory d = DataDirectory.open(dir)) {
            IOException e = assertThrows(IOException.class, () -> DataDirectory.open(dir));
            assertTrue(e.getMessage().contains("another Understudy process is using data dir"), e.getMessage());
            try (DataDirectory other = DataDirectory.open(root.resolve("node-2"))) {
                assertNotEquals(d.id(), other.id(), "another dir is another replica");
            }
        }
        DataDirectory.open(dir).close(); // free again once closed
    }

    @Test
    void rotateIdGivesANewDurableId() throws IOException {
        Path dir = root.resolve("node-1");
        String old;
        String rotated;
        try (DataDirectory d = DataDirectory.open(dir)) {
            old = d.id();
            d.rotateId();
            rotated = d.id();
            assertNotEquals(old, rotated);
        }
        try (DataDirectory d = DataDirectory.open(dir)) {
            assertEquals(rotated, d.id());
        }
    }

    @Test
    void partitionDirIsCreatedUnderTheDataDir() throws IOException {
        try (DataDirectory d = DataDirectory.open(root)) {
            Path p = d.partitionDir(3);
            assertEquals(root.toAbsolutePath().resolve("partition-3"), p);
            assertTrue(Files.isDirectory(p));
        }
    }

    @Test
    void durableLongRoundTripsAndDefaultsToZero() throws IOException {
        try (DataDirectory d = DataDirectory.open(root)) {
            DurableLong epoch = d.durableLong("partition-0/known-epoch");
            assertEquals(0, epoch.get());
            epoch.set(42);
            assertEquals(42, epoch.get());
            epoch.set(-7);
            assertEquals(-7, d.durableLong("partition-0/known-epoch").get());
            assertFalse(Files.exists(root.resolve("partition-0/known-epoch.tmp")));
            assertThrows(IllegalArgumentException.class, () -> d.durableLong("../escape"));
        }
    }

    @Test
    void corruptDurableLongNamesTheFile() throws IOException {
        try (DataDirectory d = DataDirectory.open(root)) {
            Files.writeString(root.resolve("known-epoch"), "12x");
            IOException e = assertThrows(IOException.class, () -> d.durableLong("known-epoch"));
            assertTrue(e.getMessage().contains("known-epoch"), e.getMessage());
        }
    }

    @Test
    void corruptIdFileIsRefused() throws IOException {
        Files.writeString(root.resolve(DataDirectory.ID_FILE), "not-a-uuid");
        IOException e = assertThrows(IOException.class, () -> DataDirectory.open(root));
        assertTrue(e.getMessage().contains("does not hold a UUID"), e.getMessage());
        DataDirectory.open(root.resolve("other")).close(); // the failed open released its lock
        Files.delete(root.resolve(DataDirectory.ID_FILE));
        DataDirectory.open(root).close();
    }

    @Test
    void crashWithoutRebootIsToldApartFromCrashAcrossReboot() throws IOException {
        Path dir = root.resolve("node-1");
        BootId first = () -> java.util.Optional.of("boot-a");
        DataDirectory.open(dir, first).closeWithoutMarker();
        try (DataDirectory d = DataDirectory.open(dir, first)) {
            assertFalse(d.wasCleanShutdown());
            assertTrue(d.sameBootAsPreviousRun(), "the previous process crashed on this very boot");
            d.closeWithoutMarker();
        }
        try (DataDirectory d = DataDirectory.open(dir, () -> java.util.Optional.of("boot-b"))) {
            assertFalse(d.sameBootAsPreviousRun(), "the machine rebooted since the previous process started");
        }
    }

    @Test
    void unknownBootIdNeverCountsAsTheSameBoot() throws IOException {
        Path dir = root.resolve("node-1");
        DataDirectory.open(dir, java.util.Optional::empty).closeWithoutMarker();
        try (DataDirectory d = DataDirectory.open(dir, java.util.Optional::empty)) {
            assertFalse(d.sameBootAsPreviousRun());
        }
    }
}
