package io.understudy.sidecar.replication;

import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.IdempotencyKey;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The idempotency keys of one partition's recent entries, so that a leader answers a retried write with the
 * original entry instead of appending it again (Ratis calls the same room its {@code RetryCache}). A key is
 * remembered while its entry's timestamp is within {@link IdempotencySettings#window()} of now, and at most
 * {@link IdempotencySettings#maxKeys()} keys are kept, the oldest forgotten first.
 *
 * <p>Fed by the leader as it appends and, when a member starts leading, from the tail of its own log
 * ({@link IdempotencyWindowLoader}): the key travels in the entry, so a new leader knows every key its log holds.
 * Confined to the partition's loop thread; lookups are a hash-map probe, no I/O.
 */
final class IdempotencyWindow {
    /** Where a keyed write went: the entry a retry is answered with. */
    record Written(IdempotencyKey idempotency, long epoch, long index, long timestampMillis) {}

    private final IdempotencySettings settings;
    private final Clock clock;
    /** In the order written, which is the order of timestamps but for clock steps between leaders. */
    private final LinkedHashMap<String, Written> byKey = new LinkedHashMap<>();

    IdempotencyWindow(IdempotencySettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** The entry written with this key within the window, or null (also when {@code idempotency} is null). */
    Written find(IdempotencyKey idempotency) {
        if (idempotency == null) return null;
        Written written = byKey.get(idempotency.key());
        if (written == null) return null;
        if (written.timestampMillis() < cutoff()) {
            byKey.remove(idempotency.key());
            return null;
        }
        return written;
    }

    /** Remembers the key of an entry just written (nothing when it has none). A later entry with the key wins. */
    void record(Entry entry) {
        IdempotencyKey idempotency = entry.idempotency();
        if (idempotency == null) return;
        byKey.remove(idempotency.key()); // re-inserted at the young end
        byKey.put(idempotency.key(), new Written(idempotency, entry.epoch(), entry.index(), entry.timestamp()));
        forgetOld();
    }

    /** Timestamps below this are outside the window. */
    long cutoff() {
        return clock.millis() - settings.window().toMillis();
    }

    int size() {
        return byKey.size();
    }

    private void forgetOld() {
        long cutoff = cutoff();
        Iterator<Written> oldest = byKey.values().iterator();
        while (oldest.hasNext()) {
            Written w = oldest.next();
            if (byKey.size() <= settings.maxKeys() && w.timestampMillis() >= cutoff) break;
            oldest.remove();
        }
    }
}
