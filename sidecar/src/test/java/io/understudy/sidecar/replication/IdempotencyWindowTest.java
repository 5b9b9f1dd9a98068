package io.understudy.sidecar.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.IdempotencyKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class IdempotencyWindowTest {
    private final ManualClock clock = new ManualClock(1_700_000_000_000L);

    @Test
    void findsTheEntryWrittenWithAKey() {
        IdempotencyWindow window = window(Duration.ofMinutes(10), 100);
        window.record(entry("a", 3, 7, "body"));
        IdempotencyWindow.Written found = window.find(key("a", "body"));
        assertNotNull(found);
        assertEquals(3, found.epoch());
        assertEquals(7, found.index());
        assertNull(window.find(key("b", "body")));
        assertNull(window.find(null), "a write without a key is never a retry");
    }

    @Test
    void keylessEntriesAreNotRemembered() {
        IdempotencyWindow window = window(Duration.ofMinutes(10), 100);
        window.record(new Entry(0, 1, 1, clock.millis(), "", "", new byte[0]));
        assertEquals(0, window.size());
    }

    @Test
    void aKeyIsForgottenOnceItsEntryIsOlderThanTheWindow() {
        IdempotencyWindow window = window(Duration.ofMinutes(10), 100);
        window.record(entry("a", 1, 1, "x"));
        clock.jump(Duration.ofMinutes(10));
        assertNotNull(window.find(key("a", "x")), "exactly at the window's edge it still counts");
        clock.jump(Duration.ofMillis(1));
        assertNull(window.find(key("a", "x")));
    }

    @Test
    void anEntryRebuiltWithAnOldTimestampIsOutsideTheWindow() {
        IdempotencyWindow window = window(Duration.ofMinutes(10), 100);
        long old = clock.millis() - Duration.ofMinutes(11).toMillis();
        window.record(new Entry(0, 1, 1, old, "", "", new byte[0], key("a", "x")));
        assertNull(window.find(key("a", "x")));
        assertEquals(0, window.size());
    }

    @Test
    void beyondMaxKeysTheOldestIsForgottenFirst() {
        IdempotencyWindow window = window(Duration.ofMinutes(10), 3);
        for (int i = 1; i <= 4; i++) {
            window.record(entry("k" + i, 1, i, "x"));
            clock.jump(Duration.ofMillis(1));
        }
        assertEquals(3, window.size());
        assertNull(window.find(key("k1", "x")));
        assertNotNull(window.find(key("k2", "x")));
        assertNotNull(window.find(key("k4", "x")));
    }

    @Test
    void aKeyWrittenAgainAfterExpiryPointsAtTheNewerEntry() {
        IdempotencyWindow window = window(Duration.ofMinutes(10), 2);
        window.record(entry("a", 1, 1, "x"));
        window.record(entry("b", 1, 2, "x"));
        window.record(entry("a", 2, 9, "x"));
        window.record(entry("c", 2, 10, "x")); // evicts the oldest: b, since a was written again after it
        assertEquals(9, window.find(key("a", "x")).index());
        assertNull(window.find(key("b", "x")));
    }

    private IdempotencyWindow window(Duration span, int maxKeys) {
        return new IdempotencyWindow(new IdempotencySettings(span, maxKeys), clock);
    }

    private Entry entry(String idemKey, long epoch, long index, String body) {
        return new Entry(0, epoch, index, clock.millis(), "", "", bytes(body), key(idemKey, body));
    }

    private static IdempotencyKey key(String idemKey, String body) {
        return IdempotencyKey.of(idemKey, "", "", bytes(body));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
