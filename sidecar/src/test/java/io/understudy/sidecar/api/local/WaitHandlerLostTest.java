package io.understudy.sidecar.api.local;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.understudy.sidecar.log.PartitionLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class WaitHandlerLostTest {
    @Test
    void anotherEpochAtTheIndexIsALostWrite() {
        assertTrue(WaitHandler.lost(4, 3));
        assertFalse(WaitHandler.lost(3, 3));
        assertFalse(WaitHandler.lost(4, 0), "no epoch asked, nothing checked");
    }

    @Test
    void anIndexTrimmedFromTheLogIsNotCalledLost() {
        assertFalse(WaitHandler.lost(PartitionLog.TRIMMED, 3));
    }
}
