package io.understudy.sidecar.replication;

import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.PartitionLog;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills an {@link IdempotencyWindow} from the tail of a partition's log when a member starts leading: the keys of
 * writes taken by earlier leaders are in the entries they replicated, so a retry after a failover finds them.
 *
 * <p>It reads only the window's tail: a binary search over entry timestamps (one small read per step) finds the
 * first entry young enough, then the entries from there to the log end are read once, in bounded chunks.
 */
final class IdempotencyWindowLoader {
    private static final int CHUNK_ENTRIES = 1024;
    private static final long CHUNK_BYTES = 4L << 20;

    private static final Logger log = LoggerFactory.getLogger(IdempotencyWindowLoader.class);

    private IdempotencyWindowLoader() {}

    /** A window holding the keys {@code partitionLog} holds within it, whichever leader wrote them. */
    static IdempotencyWindow windowOf(
            PartitionLog partitionLog, IdempotencySettings settings, Clock clock, String tag) {
        IdempotencyWindow window = new IdempotencyWindow(settings, clock);
        long started = System.nanoTime();
        try {
            long read = load(partitionLog, window);
            log.info(
                    "{} idempotency window: {} key(s) from the last {} entries, read in {} ms",
                    tag,
                    window.size(),
                    read,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            log.error(
                    "{} cannot read the log tail for idempotency keys; retries of older writes may be appended "
                            + "again: {}",
                    tag,
                    e.toString());
        }
        return window;
    }

    /** Records every keyed entry of {@code log} within the window; answers how many entries it read. */
    static long load(PartitionLog log, IdempotencyWindow window) throws IOException {
        long end = log.logEnd();
        long next = firstWithin(log, window.cutoff(), end);
        long read = 0;
        while (next <= end) {
            List<Entry> chunk = log.read(next, CHUNK_ENTRIES, CHUNK_BYTES);
            if (chunk.isEmpty()) break;
            for (Entry e : chunk) window.record(e);
            read += chunk.size();
            next = chunk.get(chunk.size() - 1).index() + 1;
        }
        return read;
    }

    /**
     * The first index the log holds (after its base) up to {@code end} whose timestamp is at or after {@code cutoff};
     * {@code end + 1} if none.
     */
    private static long firstWithin(PartitionLog log, long cutoff, long end) throws IOException {
        long lo = log.base().index() + 1; // below the base the log holds nothing (trimmed, or a snapshot's)
        long hi = end + 1;
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            if (timestampAt(log, mid) < cutoff) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private static long timestampAt(PartitionLog log, long index) throws IOException {
        List<Entry> one = log.read(index, 1, 1);
        if (one.isEmpty()) throw new IOException("log ends before index " + index);
        return one.get(0).timestamp();
    }
}
