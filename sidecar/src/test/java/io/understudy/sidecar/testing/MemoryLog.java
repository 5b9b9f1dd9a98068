package io.understudy.sidecar.testing;

import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.PartitionLog;
import io.understudy.sidecar.log.Position;
import io.understudy.sidecar.log.RecordBatch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A partition log in memory with the trimming seams ({@link #base}, {@link #trimBefore}, {@link #resetTo}) as the
 * {@link PartitionLog} contract describes them, entry by entry (no segments): for tests of the logic around them.
 */
public final class MemoryLog implements PartitionLog {
    private final List<Entry> entries = new ArrayList<>();
    private Position base = Position.ZERO;

    @Override
    public synchronized long logEnd() {
        return base.index() + entries.size();
    }

    @Override
    public synchronized Position lastPosition() {
        if (entries.isEmpty()) return base;
        Entry last = entries.get(entries.size() - 1);
        return new Position(last.epoch(), last.index());
    }

    @Override
    public synchronized long epochAt(long index) {
        if (index == 0) return 0;
        if (index < base.index()) return TRIMMED;
        if (index == base.index()) return base.epoch();
        if (index > logEnd()) return -1;
        return entries.get((int) (index - base.index() - 1)).epoch();
    }

    @Override
    public synchronized Position base() {
        return base;
    }

    @Override
    public synchronized Position trimBefore(long index) {
        while (!entries.isEmpty() && entries.get(0).index() < index) {
            Entry first = entries.remove(0);
            base = new Position(first.epoch(), first.index());
        }
        return base;
    }

    @Override
    public synchronized void resetTo(Position position) {
        entries.clear();
        base = position;
    }

    @Override
    public synchronized long sizeBytes() {
        return entries.stream().mapToLong(e -> e.payload().length).sum();
    }

    @Override
    public synchronized void append(List<Entry> more) {
        for (Entry e : more) {
            if (e.index() != logEnd() + 1)
                throw new IllegalArgumentException("index " + e.index() + " after " + logEnd());
            entries.add(e);
        }
    }

    @Override
    public void sync() {}

    @Override
    public synchronized void truncateAfter(long index) {
        while (logEnd() > index && !entries.isEmpty()) entries.remove(entries.size() - 1);
    }

    @Override
    public synchronized List<Entry> read(long fromIndex, int maxEntries, long maxBytes) throws IOException {
        if (fromIndex <= base.index()) throw new IOException("index " + fromIndex + " is trimmed (base " + base + ")");
        List<Entry> out = new ArrayList<>();
        for (long i = fromIndex; i <= logEnd() && out.size() < maxEntries; i++) {
            out.add(entries.get((int) (i - base.index() - 1)));
        }
        return out;
    }

    @Override
    public RecordBatch readRecords(long fromIndex, int maxEntries, long maxBytes) throws IOException {
        return RecordBatch.of(read(fromIndex, maxEntries, maxBytes));
    }

    @Override
    public void close() {}
}
