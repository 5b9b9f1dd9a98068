package io.understudy.sidecar.log;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures how long {@link SegmentedLog#open} takes and how much heap the opened log holds, for a log of N entries
 * (written first when the directory holds none). A tool, not a test: figures on a shared machine are noise unless
 * taken back to back. Usage: {@code java -cp <test-classes:classes:deps> io.understudy.sidecar.log.LogOpenMeasure DIR
 * [entries=1000000] [payloadBytes=256] [opens=3]}.
 */
public final class LogOpenMeasure {
    private LogOpenMeasure() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        long entries = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        int payload = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        int opens = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        if (!Files.exists(dir.resolve(Segment.fileName(1)))) write(dir, entries, payload);
        for (int i = 0; i < opens; i++) {
            long heapBefore = usedHeap();
            long start = System.nanoTime();
            SegmentedLog log = open(dir);
            long millis = (System.nanoTime() - start) / 1_000_000;
            long heapAfter = usedHeap();
            System.out.printf(
                    "open %d: %d ms, heap held by the open log ~%d KiB, %d entries, last %s%n",
                    i + 1,
                    millis,
                    (heapAfter - heapBefore) / 1024,
                    log.recovery().entriesRecovered(),
                    log.lastPosition());
            log.close();
        }
    }

    private static SegmentedLog open(Path dir) throws IOException {
        return SegmentedLog.open(dir, 0, FsyncPolicy.NEVER, Duration.ZERO, SegmentedLog.DEFAULT_SEGMENT_BYTES);
    }

    private static void write(Path dir, long entries, int payload) throws IOException {
        try (SegmentedLog log = open(dir)) {
            List<Entry> batch = new ArrayList<>();
            for (long i = 1; i <= entries; i++) {
                batch.add(new Entry(0, 1, i, System.currentTimeMillis(), "", "", new byte[payload]));
                if (batch.size() == 1000 || i == entries) {
                    log.append(batch);
                    batch.clear();
                }
            }
            log.sync();
        }
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
