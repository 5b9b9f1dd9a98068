package io.understudy.sidecar.log;

import io.understudy.sidecar.log.CorruptRecordException.Kind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the segments of a log directory, checking every record, and cuts the log at the first bad one: the bad
 * segment is truncated at its last good record and every later segment is deleted. A bad record is one the codec
 * refuses, or one whose index does not continue the log densely from 1, or whose epoch goes backwards.
 */
final class LogRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(LogRecovery.class);
    private static final Pattern SEGMENT_NAME = Pattern.compile("\\d{20}" + Pattern.quote(Segment.SUFFIX));
    private static final int SCAN_CHUNK = 1 << 20;

    record Result(Position base, List<Segment> segments, RecoveryReport report) {}

    private LogRecovery() {}

    static Result recover(Path dir, int partition, String who) throws IOException {
        LogBase.State state = LogBase.load(dir);
        Position base = state.base();
        if (state.resetPending()) finishReset(dir, who, base);
        List<Long> bases = dropBelowBase(dir, who, base, segmentBases(dir));
        List<Segment> kept = new ArrayList<>();
        long expected = base.index() + 1;
        long lastEpoch = base.epoch();
        CorruptRecordException bad = null;
        boolean gap = false;
        int badAt = bases.size();
        try {
            for (int i = 0; i < bases.size() && bad == null; i++) {
                Segment seg = Segment.open(dir, bases.get(i));
                kept.add(seg);
                badAt = i;
                if (seg.baseIndex() != expected) {
                    gap = true;
                    bad = new CorruptRecordException(
                            Kind.CORRUPT,
                            seg.file().toString(),
                            0,
                            "segment starts at index " + seg.baseIndex() + ", expected " + expected
                                    + (base.index() > 0 ? " (the log's base is " + base + ")" : ""));
                    break;
                }
                bad = scan(seg, partition, lastEpoch);
                expected = seg.lastIndex() + 1;
                if (seg.count() > 0) lastEpoch = seg.epochOf(seg.lastIndex());
            }
            if (bad == null)
                return new Result(base, kept, new RecoveryReport(expected - 1 - base.index(), 0, 0, false));
            return cut(dir, who, base, bases, kept, badAt, bad, gap, expected - 1 - base.index());
        } catch (IOException | RuntimeException e) {
            for (Segment s : kept) closeQuietly(s, e);
            throw e;
        }
    }

    /** Deletes the segments after the bad one (last first, so a crash here leaves a prefix), then truncates it. */
    private static Result cut(
            Path dir,
            String who,
            Position base,
            List<Long> bases,
            List<Segment> kept,
            int badAt,
            CorruptRecordException bad,
            boolean gap,
            long entries)
            throws IOException {
        long bytesDropped = 0;
        boolean laterData = false;
        for (int i = bases.size() - 1; i > badAt; i--) {
            Path file = dir.resolve(Segment.fileName(bases.get(i)));
            long size = Files.size(file);
            laterData |= size > 0;
            bytesDropped += size;
            Files.delete(file);
            AtomicFiles.forceDirectory(dir);
        }
        Segment seg = kept.get(badAt);
        long fileSize = seg.channel().size();
        Kind kind = bad.kind();
        String reason = bad.reason();
        if (kind == Kind.CORRUPT && !laterData && !gap && zeroFrom(seg, bad.offset(), fileSize)) {
            kind = Kind.TORN; // the file grew but the data never reached the disk: a crash mid-write
            reason = "zero-filled tail (" + reason + ")";
        }
        bytesDropped += fileSize - seg.size();
        if (gap) {
            kept.remove(badAt);
            seg.close();
            Files.delete(seg.file());
            AtomicFiles.forceDirectory(dir);
        } else {
            seg.truncateTo(seg.count());
            seg.channel().force(false);
        }
        int segmentsDropped = bases.size() - 1 - badAt + (gap ? 1 : 0);
        boolean corruption = kind == Kind.CORRUPT || laterData;
        LOG.warn(
                "[{}] recovery: {} record in {} at offset {} ({}); kept {} entries, dropped {} bytes and {} later"
                        + " segment(s){}",
                who,
                kind,
                bad.source(),
                bad.offset(),
                reason,
                entries,
                bytesDropped,
                segmentsDropped,
                corruption ? ", DATA CORRUPTION" : "");
        return new Result(base, kept, new RecoveryReport(entries, bytesDropped, segmentsDropped, corruption));
    }

    /** A reset was under way when the process stopped: it deletes every segment, then clears the mark. */
    private static void finishReset(Path dir, String who, Position base) throws IOException {
        List<Long> bases = segmentBases(dir);
        for (int i = bases.size() - 1; i >= 0; i--) AtomicFiles.delete(dir.resolve(Segment.fileName(bases.get(i))));
        LogBase.store(dir, base, false);
        LOG.info(
                "[{}] recovery: finished a reset to {} cut short by a crash ({} segment(s) deleted)",
                who,
                base,
                bases.size());
    }

    /**
     * Deletes the segments a trim cut short by a crash left behind: those whose every entry is at or below the base
     * (the next segment starts at or below {@code base + 1}). Oldest first, as trimming does. Returns the rest.
     */
    private static List<Long> dropBelowBase(Path dir, String who, Position base, List<Long> bases) throws IOException {
        int drop = 0;
        while (drop + 1 < bases.size() && bases.get(drop + 1) <= base.index() + 1) {
            AtomicFiles.delete(dir.resolve(Segment.fileName(bases.get(drop))));
            drop++;
        }
        if (drop > 0) {
            LOG.info(
                    "[{}] recovery: finished a trim to base {} cut short by a crash ({} segment(s) deleted)",
                    who,
                    base,
                    drop);
        }
        return bases.subList(drop, bases.size());
    }

    /** Indexes the segment's records; returns the first bad one, or null when every byte is a good record. */
    private static CorruptRecordException scan(Segment seg, int partition, long prevEpoch) throws IOException {
        long fileSize = seg.channel().size();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.max(64, Math.min(fileSize, SCAN_CHUNK)));
        buf.limit(0);
        long bufStart = 0;
        long expected = seg.baseIndex();
        long epoch = prevEpoch;
        while (true) {
            int recPos = buf.position();
            long recOffset = bufStart + recPos;
            if (recOffset >= fileSize) return null;
            try {
                Entry e = RecordCodec.decode(buf, partition);
                String why = e.index() != expected
                        ? "index " + e.index() + " where " + expected + " was expected"
                        : e.epoch() < epoch ? "epoch " + e.epoch() + " after epoch " + epoch : null;
                if (why != null)
                    return new CorruptRecordException(Kind.CORRUPT, seg.file().toString(), recOffset, why);
                seg.add(recOffset, e.epoch(), bufStart + buf.position());
                expected++;
                epoch = e.epoch();
            } catch (CorruptRecordException ex) {
                if (ex.kind() != Kind.TORN || bufStart + buf.limit() >= fileSize) {
                    return ex.in(seg.file().toString(), bufStart);
                }
                buf.compact(); // the partial record moves to the front; read more behind it
                bufStart = recOffset;
                if (!buf.hasRemaining()) buf = grow(buf);
                seg.readFully(buf, bufStart + buf.position());
                buf.flip();
            }
        }
    }

    private static ByteBuffer grow(ByteBuffer full) {
        int max = RecordCodec.HEADER_BYTES + RecordCodec.MAX_RECORD_BYTES;
        if (full.capacity() >= max) throw new IllegalStateException("scan buffer full at " + full.capacity());
        ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(max, 2L * full.capacity()));
        full.flip();
        return bigger.put(full);
    }

    private static boolean zeroFrom(Segment seg, long from, long to) throws IOException {
        for (long pos = from; pos < to; ) {
            ByteBuffer buf = seg.read(pos, Math.min(to, pos + SCAN_CHUNK));
            while (buf.hasRemaining()) {
                if (buf.get() != 0) return false;
            }
            pos += buf.limit();
        }
        return true;
    }

    private static List<Long> segmentBases(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> SEGMENT_NAME.matcher(name).matches())
                    .map(name -> Long.parseLong(name.substring(0, 20)))
                    .sorted()
                    .toList();
        }
    }

    private static void closeQuietly(Segment s, Exception primary) {
        try {
            s.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }
}
