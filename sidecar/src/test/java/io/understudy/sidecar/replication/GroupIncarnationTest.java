package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.log.DataDirectory;
import io.understudy.sidecar.log.DurableLong;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GroupIncarnationTest {
    @TempDir
    Path dir;

    private DurableLong recorded() throws Exception {
        try (DataDirectory dataDir = DataDirectory.open(dir)) {
            return dataDir.durableLong("partition-0/incarnation");
        }
    }

    @Test
    void aMemberWithoutDataJoinsAndRecordsTheIncarnation() throws Exception {
        DurableLong recorded = recorded();
        var check = new GroupIncarnation(recorded, () -> 0, () -> 0);
        assertEquals(GroupIncarnation.Verdict.JOINED, check.check(PartitionState.newIncarnation(42)));
        assertEquals(42, recorded.get());
        assertEquals(
                GroupIncarnation.Verdict.SAME,
                check.check(PartitionState.newIncarnation(42).ledBy("a", 3)));
    }

    @Test
    void aMemberHoldingDataOfAnotherIncarnationRefusesIt() throws Exception {
        DurableLong recorded = recorded();
        recorded.set(42);
        var check = new GroupIncarnation(recorded, () -> 20, () -> 2);
        assertEquals(GroupIncarnation.Verdict.FORGOTTEN, check.check(PartitionState.newIncarnation(7)));
        assertEquals(42, recorded.get(), "the recorded incarnation is kept");
    }

    @Test
    void entriesWithoutARecordedIncarnationRefuseANewOne() throws Exception {
        var check = new GroupIncarnation(recorded(), () -> 20, () -> 2);
        assertEquals(GroupIncarnation.Verdict.FORGOTTEN, check.check(PartitionState.newIncarnation(7)));
    }

    @Test
    void anEpochWithoutEntriesAlsoRefusesANewIncarnation() throws Exception {
        var check = new GroupIncarnation(recorded(), () -> 0, () -> 5);
        assertEquals(GroupIncarnation.Verdict.FORGOTTEN, check.check(PartitionState.newIncarnation(7)));
    }

    @Test
    void stateWrittenBeforeIncarnationsIsNotCompared() throws Exception {
        DurableLong recorded = recorded();
        recorded.set(42);
        var check = new GroupIncarnation(recorded, () -> 20, () -> 2);
        assertEquals(GroupIncarnation.Verdict.SAME, check.check(PartitionState.INITIAL.ledBy("a", 2)));
    }
}
