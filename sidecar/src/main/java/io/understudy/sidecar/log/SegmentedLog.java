package io.understudy.sidecar.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable log of one partition: a directory of segment files, each named by its first index zero-padded to 20
 * digits ({@code 00000000000000000001.log}) and holding concatenated {@link RecordCodec} records. A new segment
 * starts when the active one has reached {@code segmentBytes} before an append batch; the full one is forced and
 * sealed first ({@link SegmentSeal}: its length, CRC-32C, sparse index and epochs, in {@code <base>.seal}). The log
 * starts after its {@link #base()} (file {@code log-base}, see {@link LogBase}): {@link #trimBefore} deletes whole
 * old segments, {@link #resetTo} drops everything.
 *
 * <p>Memory does not grow with the entries: each segment keeps one index point per {@link
 * Segment#INDEX_INTERVAL_BYTES} bytes and one pair per epoch change, so {@link #epochAt} answers from memory and
 * {@link #read} seeks to the nearest point and walks from there. Concurrency: one writer thread at a time ({@link
 * #append}, {@link #sync}, {@link #truncateAfter}, {@link #trimBefore}, {@link #resetTo}); readers from any thread.
 * An append writes its bytes past the published end without the lock, then publishes them under the write lock, so
 * readers never see a half-written entry. Readers hold the read lock while they read the file, so {@link
 * #truncateAfter} (which holds the write lock across its I/O) waits for them; trimming and resets unlink segments
 * under the write lock and delete their files after it.
 *
 * <p>On open only what a crash can have torn is read: unsealed segments (the active one). Sealed segments are
 * served from their seals; {@link #verifySealed()} checks them against their CRC. See {@link #recovery()}.
 *
 * <p>A failed force or write fails the log for good: that call and every later write throw {@link
 * LogFailedException}, and the log never forces again. After a failed {@code fsync} Linux may drop the dirty pages
 * and report the next {@code fsync} as a success, so a retry would only hide the loss. Reopening recovers from what
 * the files hold; only after a reboot is that surely what the disk holds (the page cache may keep unwritten pages).
 */
public final class SegmentedLog implements PartitionLog {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentedLog.class);
    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
    private static final int MAX_READ_CHUNK = 4 << 20;

    private final Path dir;
    private final int partition;
    private final String who;
    private final long segmentBytes;
    private final SyncSchedule syncs;
    private final RecoveryReport recovery;
    private final long recoveryScannedBytes;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final List<Segment> segments; // guarded by lock; mutated only by the writer under the write lock
    private volatile Position base; // written under the write lock
    private volatile Position lastPosition;
    private volatile boolean closed;
    private volatile LogFailedException failure; // set once, by the writer thread

    private SegmentedLog(
            Path dir,
            int partition,
            FsyncPolicy policy,
            Duration fsyncInterval,
            long segmentBytes,
            LongSupplier nanoTime,
            ChannelForce force,
            LogRecovery.Result recovered) {
        this.dir = dir;
        this.partition = partition;
        this.who = "p" + partition;
        this.segmentBytes = segmentBytes;
        this.syncs = new SyncSchedule(policy, fsyncInterval, nanoTime, dir, force);
        this.segments = new ArrayList<>(recovered.segments());
        this.recovery = recovered.report();
        this.recoveryScannedBytes = recovered.scannedBytes();
        this.base = recovered.base();
        this.lastPosition = computeLastPosition();
    }

    public static SegmentedLog open(
            Path dir, int partition, FsyncPolicy policy, Duration fsyncInterval, long segmentBytes) throws IOException {
        return open(dir, partition, policy, fsyncInterval, segmentBytes, System::nanoTime, ChannelForce.SYSTEM);
    }

    public static SegmentedLog open(
            Path dir, int partition, FsyncPolicy policy, Duration fsyncInterval, long segmentBytes, ChannelForce force)
            throws IOException {
        return open(dir, partition, policy, fsyncInterval, segmentBytes, System::nanoTime, force);
    }

    /**
     * Opens (creating the directory if missing) and recovers the log of {@code partition} in {@code dir}; its
     * segments are forced with {@code force}, and {@code fsync: interval} is timed on {@code nanoTime}, a monotonic
     * clock in nanoseconds ({@code System::nanoTime}).
     */
    public static SegmentedLog open(
            Path dir,
            int partition,
            FsyncPolicy policy,
            Duration fsyncInterval,
            long segmentBytes,
            LongSupplier nanoTime,
            ChannelForce force)
            throws IOException {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(force, "force");
        Objects.requireNonNull(fsyncInterval, "fsyncInterval");
        Objects.requireNonNull(nanoTime, "nanoTime");
        if (segmentBytes < 1) throw new IllegalArgumentException("segmentBytes must be >= 1, was " + segmentBytes);
        if (fsyncInterval.isNegative()) throw new IllegalArgumentException("negative fsyncInterval " + fsyncInterval);
        Files.createDirectories(dir);
        LogRecovery.Result recovered = LogRecovery.recover(dir, partition, "p" + partition);
        SegmentedLog log =
                new SegmentedLog(dir, partition, policy, fsyncInterval, segmentBytes, nanoTime, force, recovered);
        LOG.info(
                "[p{}] opened log in {}: {} entries in {} segment(s), base {}, {} bytes read to recover, last {},"
                        + " fsync {}",
                partition,
                dir,
                log.recovery.entriesRecovered(),
                log.segments.size(),
                log.base,
                log.recoveryScannedBytes,
                log.lastPosition,
                policy);
        return log;
    }

    /** What recovery found when this log was opened. */
    public RecoveryReport recovery() {
        return recovery;
    }

    /** How many times a segment file has been forced to the disk since open. */
    public long forceCount() {
        return syncs.forceCount();
    }

    public int partition() {
        return partition;
    }

    @Override
    public long logEnd() {
        return lastPosition.index();
    }

    @Override
    public Position lastPosition() {
        return lastPosition;
    }

    @Override
    public long epochAt(long index) {
        if (index < 0) return -1;
        lock.readLock().lock();
        try {
            Position b = base;
            if (index < b.index()) return TRIMMED;
            if (index == b.index()) return b.epoch();
            if (index > lastPosition.index()) return -1;
            return segmentFor(index).epochOf(index);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Position base() {
        return base;
    }

    @Override
    public long sizeBytes() {
        lock.readLock().lock();
        try {
            long total = 0;
            for (Segment seg : segments) total += seg.size();
            return total;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Deletes the oldest segments whose every entry is below {@code index}, never the active (last) one. The new base
     * is made durable before any file is deleted, so a crash part-way leaves segments below the base, which the next
     * open deletes.
     */
    @Override
    public Position trimBefore(long index) throws IOException {
        ensureWritable();
        int drop = 0;
        while (drop + 1 < segments.size() && segments.get(drop + 1).baseIndex() <= index) drop++;
        if (drop == 0) return base;
        Segment lastDropped = segments.get(drop - 1);
        long newBaseIndex = segments.get(drop).baseIndex() - 1;
        Position newBase = new Position(lastDropped.epochOf(newBaseIndex), newBaseIndex);
        Position before = base;
        List<Segment> dropped;
        try {
            LogBase.store(dir, newBase, false);
        } catch (IOException e) {
            throw failWith("trim", e);
        }
        lock.writeLock().lock();
        try {
            dropped = new ArrayList<>(segments.subList(0, drop));
            segments.subList(0, drop).clear();
            base = newBase;
        } finally {
            lock.writeLock().unlock();
        }
        deleteFiles(dropped, "trim");
        LOG.info(
                "[{}] trimmed before index {}: base {} -> {}, {} segment(s) deleted",
                who,
                index,
                before,
                newBase,
                drop);
        return newBase;
    }

    /**
     * Drops every entry and continues after {@code newBase}. The base file is written with a reset mark first, then
     * every segment is deleted, then the mark is cleared: a crash at any point leaves the old log (the first write did
     * not land) or the reset one (the next open finishes the deletions).
     */
    @Override
    public void resetTo(Position newBase) throws IOException {
        Objects.requireNonNull(newBase, "newBase");
        if (newBase.index() < 0 || newBase.epoch() < 0 || (newBase.index() > 0) != (newBase.epoch() > 0)) {
            throw new IllegalArgumentException("[" + who + "] resetTo(" + newBase + ")");
        }
        ensureWritable();
        String before = base + ".." + lastPosition;
        List<Segment> dropped;
        try {
            LogBase.store(dir, newBase, true);
        } catch (IOException e) {
            throw failWith("reset", e);
        }
        lock.writeLock().lock();
        try {
            dropped = new ArrayList<>(segments);
            segments.clear();
            base = newBase;
            lastPosition = newBase;
        } finally {
            lock.writeLock().unlock();
        }
        deleteFiles(dropped, "reset");
        try {
            LogBase.store(dir, newBase, false);
        } catch (IOException e) {
            throw failWith("reset", e);
        }
        LOG.info("[{}] reset to {}: was {}, {} segment(s) deleted", who, newBase, before, dropped.size());
    }

    /** Closes and durably deletes segments already out of {@link #segments} (no reader can reach them). */
    private void deleteFiles(List<Segment> dropped, String what) throws LogFailedException {
        try {
            for (Segment seg : dropped) {
                syncs.deleted(seg);
                seg.close();
                deleteSegmentFiles(seg.baseIndex());
            }
        } catch (IOException e) {
            throw failWith(what, e);
        }
    }

    @Override
    public void append(List<Entry> entries) throws IOException {
        ensureWritable();
        if (entries.isEmpty()) return;
        validate(entries);
        Segment active = activeFor(entries.get(0).index());
        long total = 0;
        for (Entry e : entries) total += RecordCodec.encodedSize(e);
        if (total > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("append batch of " + total + " bytes");
        ByteBuffer buf = ByteBuffer.allocate((int) total);
        long start = active.size();
        long[] positions = new long[entries.size()];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = start + buf.position();
            RecordCodec.encode(entries.get(i), buf);
        }
        buf.flip();
        try {
            active.writeFully(buf.duplicate(), start);
        } catch (IOException e) {
            undoPartialWrite(active, e);
            throw failWith("append write", e);
        }
        active.checksum(buf);
        lock.writeLock().lock();
        try {
            for (int i = 0; i < positions.length; i++) {
                long end = i + 1 < positions.length ? positions[i + 1] : start + total;
                Entry e = entries.get(i);
                active.add(positions[i], e.epoch(), end, e.timestamp());
            }
            lastPosition = entries.get(entries.size() - 1).position();
        } finally {
            lock.writeLock().unlock();
        }
        syncs.appended(active, entries.size());
    }

    @Override
    public void sync() throws IOException {
        ensureWritable();
        try {
            syncs.sync();
        } catch (IOException e) {
            throw failWith("fsync", e);
        }
    }

    /** The failure that stopped this log, or null while it takes writes. */
    public LogFailedException failure() {
        return failure;
    }

    @Override
    public void truncateAfter(long index) throws IOException {
        if (index < 0) throw new IllegalArgumentException("[" + who + "] truncateAfter(" + index + ")");
        if (index < base.index()) {
            throw new IllegalArgumentException(
                    "[" + who + "] truncateAfter(" + index + ") refused: the log starts after" + " base " + base
                            + ", and every entry at or below a base is committed (a snapshot covers it)");
        }
        ensureWritable();
        if (index >= lastPosition.index()) return;
        Position before = lastPosition;
        int dropped = 0;
        lock.writeLock().lock();
        try {
            // Last segment first, each deletion durable, so a crash part-way leaves a dense prefix.
            while (!segments.isEmpty() && segments.get(segments.size() - 1).baseIndex() > index) {
                Segment seg = segments.remove(segments.size() - 1);
                syncs.deleted(seg);
                seg.close();
                deleteSegmentFiles(seg.baseIndex());
                dropped++;
            }
            if (!segments.isEmpty()) {
                Segment seg = segments.get(segments.size() - 1);
                // The seal goes first: a sealed segment is never read at open, so it must not outlive its bytes.
                if (seg.sealed()) AtomicFiles.delete(dir.resolve(SegmentSeal.fileName(seg.baseIndex())));
                seg.truncateAfter(index);
                syncs.force(seg);
            }
            lastPosition = computeLastPosition();
        } catch (IOException e) {
            throw failWith("truncation", e); // memory and disk may disagree now; reopen to recover
        } catch (RuntimeException e) {
            failWith("truncation", e);
            throw e;
        } finally {
            lock.writeLock().unlock();
        }
        LOG.info(
                "[{}] truncated after index {}: last {} -> {}, {} segment(s) deleted",
                who,
                index,
                before,
                lastPosition,
                dropped);
    }

    @Override
    public List<Entry> read(long fromIndex, int maxEntries, long maxBytes) throws IOException {
        if (fromIndex < 1 || maxEntries < 1 || maxBytes < 0) {
            throw new IllegalArgumentException(
                    "[" + who + "] read(" + fromIndex + ", " + maxEntries + ", " + maxBytes + ")");
        }
        List<Entry> out = new ArrayList<>();
        lock.readLock().lock();
        try {
            if (closed) throw new IOException("[" + who + "] log is closed");
            refuseTrimmed(fromIndex);
            long payload = 0;
            long index = fromIndex;
            while (out.size() < maxEntries && index <= lastPosition.index()) {
                Segment seg = segmentFor(index);
                long last = Math.min(seg.lastIndex(), index + (maxEntries - out.size()) - 1);
                // Record bytes bound payload bytes, so records within the budget surely fit; at least one record.
                long budget = Math.min(Math.max(maxBytes - payload, 0), MAX_READ_CHUNK);
                Segment.Chunk chunk = seg.readFrom(index, last, budget);
                ByteBuffer buf = chunk.bytes();
                long upTo = chunk.lastIndex();
                for (long i = index; i <= upTo; i++) {
                    Entry e = seg.decode(buf, chunk.start(), i, partition);
                    if (!out.isEmpty() && payload + e.payload().length > maxBytes) return out;
                    out.add(e);
                    payload += e.payload().length;
                }
                index = upTo + 1;
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public RecordBatch readRecords(long fromIndex, int maxEntries, long maxBytes) throws IOException {
        if (fromIndex < 1 || maxEntries < 1 || maxBytes < 0) {
            throw new IllegalArgumentException(
                    "[" + who + "] readRecords(" + fromIndex + ", " + maxEntries + ", " + maxBytes + ")");
        }
        List<ByteBuffer> parts = new ArrayList<>();
        int count = 0;
        long bytes = 0;
        lock.readLock().lock();
        try {
            if (closed) throw new IOException("[" + who + "] log is closed");
            refuseTrimmed(fromIndex);
            long index = fromIndex;
            while (count < maxEntries && index <= lastPosition.index() && (count == 0 || bytes < maxBytes)) {
                Segment seg = segmentFor(index);
                long last = Math.min(seg.lastIndex(), index + (maxEntries - count) - 1);
                long budget = Math.min(maxBytes - bytes, MAX_READ_CHUNK);
                Segment.Chunk chunk = seg.readFrom(index, last, budget); // at least one record
                long upTo = chunk.lastIndex();
                int size = chunk.bytes().remaining();
                if (count > 0 && bytes + size > maxBytes) break;
                parts.add(chunk.bytes());
                bytes += size;
                count += (int) (upTo - index + 1);
                index = upTo + 1;
            }
        } finally {
            lock.readLock().unlock();
        }
        if (parts.size() == 1 && parts.get(0).hasArray() && parts.get(0).arrayOffset() == 0) {
            ByteBuffer only = parts.get(0);
            if (only.array().length == only.remaining()) return RecordBatch.stored(partition, count, only.array());
        }
        ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(bytes));
        parts.forEach(all::put);
        return RecordBatch.stored(partition, count, all.array());
    }

    /** Forces what is unforced and closes the files. Idempotent. */
    @Override
    public void close() throws IOException {
        lock.writeLock().lock();
        try {
            if (closed) return;
            closed = true;
            IOException first = null;
            try {
                if (failure == null) syncs.forceAll();
            } catch (IOException e) {
                first = failWith("fsync at close", e);
            }
            for (Segment seg : segments) {
                try {
                    seg.close();
                } catch (IOException e) {
                    if (first == null) first = e;
                    else first.addSuppressed(e);
                }
            }
            if (first != null) throw first;
            LOG.info("[{}] closed log at {}", who, lastPosition);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void validate(List<Entry> entries) {
        long expectedIndex = lastPosition.index() + 1;
        long minEpoch = lastPosition.epoch();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            String why = e.partition() != partition
                    ? "is for partition " + e.partition()
                    : e.index() != expectedIndex
                            ? "has index " + e.index() + ", expected " + expectedIndex
                            : e.epoch() < minEpoch ? "has epoch " + e.epoch() + " below " + minEpoch : null;
            if (why != null) {
                throw new IllegalArgumentException("[" + who + "] append refused: entry " + i + " of " + entries.size()
                        + " " + why + " (log ends at " + lastPosition + ")");
            }
            expectedIndex++;
            minEpoch = e.epoch();
        }
    }

    /** The segment the batch starting at {@code firstIndex} goes to, rolling to a new one when full. */
    private Segment activeFor(long firstIndex) throws IOException {
        Segment active = segments.isEmpty() ? null : segments.get(segments.size() - 1);
        if (active != null && !active.sealed() && (active.count() == 0 || active.size() < segmentBytes)) return active;
        if (active != null && !active.sealed()) {
            try {
                syncs.force(active); // the seal promises these bytes: they reach the disk first
                active.seal(dir);
            } catch (IOException e) {
                throw failWith("sealing " + active.file().getFileName(), e);
            }
        }
        Segment created = Segment.open(dir, firstIndex);
        syncs.created(created);
        lock.writeLock().lock();
        try {
            segments.add(created);
        } finally {
            lock.writeLock().unlock();
        }
        LOG.info("[{}] rolled to segment {}", who, created.file().getFileName());
        return created;
    }

    /** Cuts a half-written batch off so that a restart finds a clean tail; the log has failed either way. */
    private void undoPartialWrite(Segment active, IOException cause) {
        try {
            active.channel().truncate(active.size());
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    /** Fails the log for good (see the class comment) and returns the error the failing call throws. */
    private LogFailedException failWith(String what, Exception cause) {
        LogFailedException failed = new LogFailedException(
                "[" + who + "] " + what + " failed (" + cause + "): the log takes no more writes and is never"
                        + " forced again, as the disk may have dropped written data; reopen it to recover",
                cause);
        if (failure == null) {
            failure = failed;
            LOG.error("[{}] {} failed: log stopped for good (no fsync is retried)", who, what, cause);
        }
        return failed;
    }

    private Segment segmentFor(long index) {
        int lo = 0;
        int hi = segments.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (segments.get(mid).baseIndex() <= index) lo = mid;
            else hi = mid - 1;
        }
        return segments.get(lo);
    }

    /** Deletes a segment's data, then its seal, each durably (a seal without its segment is ignored at open). */
    private void deleteSegmentFiles(long baseIndex) throws IOException {
        AtomicFiles.delete(dir.resolve(Segment.fileName(baseIndex)));
        AtomicFiles.delete(dir.resolve(SegmentSeal.fileName(baseIndex)));
    }

    /**
     * Reads every sealed segment whole and checks it against its seal's CRC-32C: damage that open does not look for
     * (open reads only what a crash can have torn). Throws the first mismatch, naming the file.
     */
    public void verifySealed() throws IOException {
        List<Segment> sealed = new ArrayList<>();
        lock.readLock().lock();
        try {
            for (Segment seg : segments) if (seg.sealed()) sealed.add(seg);
        } finally {
            lock.readLock().unlock();
        }
        for (Segment seg : sealed) {
            lock.readLock().lock(); // one segment at a time, so that appends are not held up for the whole log
            try {
                if (segments.contains(seg)) seg.verify(); // a trim may have deleted it meanwhile
            } finally {
                lock.readLock().unlock();
            }
        }
    }

    /** Bytes of segment data recovery read when this log was opened (the unsealed tail), for tests and tools. */
    public long recoveryScannedBytes() {
        return recoveryScannedBytes;
    }

    @Override
    public List<SegmentSummary> segments() {
        lock.readLock().lock();
        try {
            List<SegmentSummary> out = new ArrayList<>(segments.size());
            for (Segment seg : segments) {
                out.add(new SegmentSummary(seg.baseIndex(), seg.lastIndex(), seg.size(), seg.maxTimestamp()));
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Segment files of this log. */
    int segmentCount() {
        lock.readLock().lock();
        try {
            return segments.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Sparse index points held in memory over every segment. */
    long indexPoints() {
        lock.readLock().lock();
        try {
            long points = 0;
            for (Segment seg : segments) points += seg.indexPoints();
            return points;
        } finally {
            lock.readLock().unlock();
        }
    }

    private void refuseTrimmed(long fromIndex) throws TrimmedException {
        Position b = base;
        if (fromIndex <= b.index()) throw new TrimmedException(who, fromIndex, b);
    }

    private Position computeLastPosition() {
        for (int i = segments.size() - 1; i >= 0; i--) {
            Segment seg = segments.get(i);
            if (seg.count() > 0) return new Position(seg.epochOf(seg.lastIndex()), seg.lastIndex());
        }
        return base;
    }

    private void ensureWritable() throws IOException {
        if (closed) throw new IOException("[" + who + "] log is closed");
        LogFailedException failed = failure;
        if (failed != null) throw new LogFailedException(failed.getMessage(), failed.getCause());
    }

    @Override
    public String toString() {
        return "SegmentedLog[" + who + " " + dir + " last " + lastPosition + "]";
    }
}
