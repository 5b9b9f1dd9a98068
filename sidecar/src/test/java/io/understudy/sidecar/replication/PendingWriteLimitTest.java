package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PendingWriteLimitTest {

    @Test
    void writesBeyondTheLimitAreRefusedUntilOneCompletes() {
        PendingWriteLimit limit = new PendingWriteLimit(2);

        assertTrue(limit.tryAcquire());
        assertTrue(limit.tryAcquire());
        assertFalse(limit.tryAcquire(), "a third pending write is refused");
        assertEquals(2, limit.held());

        limit.release();

        assertTrue(limit.tryAcquire(), "a completed write makes room");
        assertFalse(limit.tryAcquire());
    }
}
