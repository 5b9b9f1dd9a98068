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
 * Opens the segments of a log directory after its base ({@link LogBase}: finishing a reset or trim a crash cut
 * short) and checks what a crash can have torn. A sealed segment ({@link SegmentSeal}) is trusted without being read
 * when its file is at least as long as sealed (bytes past the sealed end are cut and reported as corruption); one
 * shorter than sealed, or whose seal is damaged, is read record by record like an unsealed one. Every unsealed
 * segment (normally only the active one) is read record by record and the log cut at the first bad record: the bad
 * segment is truncated at its last good record and every later segment is deleted. A bad record is one the codec
 * refuses, or one whose index does not continue the log densely from the base, or whose epoch goes backwards. So
 * the work at open is bounded by one segment, not by the history; damage inside a sealed segment is found by
 * {@link SegmentedLog#verifySealed()} and by any read of the damaged record (its CRC), never served.
 */
final class LogRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(LogRecovery.class);
    private static final Pattern SEGMENT_NAME = Pattern.compile("\\d{20}" + Pattern.quote(Segment.SUFFIX));
    private static final Pattern SEAL_NAME = Pattern.compile("\\d{20}" + Pattern.quote(SegmentSeal.SUFFIX));
    private static final int SCAN_CHUNK = 1 << 20;

    /** What recovery opened, and how many bytes of segment data it read to check them. */
    record Result(Position base, List<Segment> segments, RecoveryReport report, long scannedBytes) {}

    private LogRecovery() {}

    static Result recover(Path dir, int partition, String who) throws IOException {
        LogBase.State state = LogBase.load(dir);
        Position base = state.base();
        if (state.resetPending()) finishReset(dir, who, base);
        List<Long> bases = dropBelowBase(dir, who, base, segmentBases(dir));
        deleteOrphanSeals(dir, who, bases);
        List<Segment> kept = new ArrayList<>();
        long expected = base.index() + 1;
        long lastEpoch = base.epoch();
        long scanned = 0;
        long cutPastSeals = 0;
        CorruptRecordException bad = null;
        boolean gap = false;
        int badAt = bases.size();
        try {
            for (int i = 0; i < bases.size() && bad == null; i++) {
                long segBase = bases.get(i);
                SegmentSeal seal = usableSeal(dir, who, segBase, lastEpoch);
                Segment seg = seal != null ? Segment.openSealed(dir, seal) : Segment.open(dir, segBase);
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
                if (seal != null) {
                    cutPastSeals += cutPastSeal(who, seg);
                } else {
                    scanned += seg.channel().size();
                    bad = scan(seg, partition, lastEpoch);
                    if (bad == null && i + 1 < bases.size() && seg.count() > 0) {
                        seg.channel().force(false); // full, and checked: sealed, so the next open skips it
                        seg.seal(dir);
                    }
                }
                expected = seg.lastIndex() + 1;
                if (seg.count() > 0) lastEpoch = seg.epochOf(seg.lastIndex());
            }
            long entries = expected - 1 - base.index();
            RecoveryReport report = bad == null
                    ? new RecoveryReport(entries, 0, 0, false)
                    : cut(dir, who, bases, kept, badAt, bad, gap, entries);
            if (cutPastSeals > 0) {
                report = new RecoveryReport(
                        report.entriesRecovered(),
                        report.bytesDropped() + cutPastSeals,
                        report.segmentsDropped(),
                        true);
            }
            return new Result(base, kept, report, scanned);
        } catch (IOException | RuntimeException e) {
            for (Segment s : kept) closeQuietly(s, e);
            throw e;
        }
    }

    /**
     * The seal of the segment at {@code segBase} if recovery may trust it: present, intact, the segment file at
     * least as long as sealed, its first epoch not below {@code prevEpoch}. Otherwise the seal is deleted (loudly
     * when it was there) and the segment is read record by record like an active one, which cuts it at the damage.
     */
    private static SegmentSeal usableSeal(Path dir, String who, long segBase, long prevEpoch) throws IOException {
        SegmentSeal seal;
        try {
            seal = SegmentSeal.read(dir, segBase);
        } catch (IOException e) {
            LOG.warn("[{}] recovery: {}; reading the segment instead", who, e.getMessage());
            AtomicFiles.delete(dir.resolve(SegmentSeal.fileName(segBase)));
            return null;
        }
        if (seal == null) return null;
        long fileSize = Files.size(dir.resolve(Segment.fileName(segBase)));
        String why = fileSize < seal.sizeBytes()
                ? "holds " + fileSize + " bytes but was sealed with " + seal.sizeBytes()
                : seal.runEpochs()[0] < prevEpoch
                        ? "starts in epoch " + seal.runEpochs()[0] + " after epoch " + prevEpoch
                        : null;
        if (why == null) return seal;
        LOG.warn(
                "[{}] recovery: sealed segment {} {}: reading it record by record (DATA CORRUPTION)",
                who,
                Segment.fileName(segBase),
                why);
        AtomicFiles.delete(dir.resolve(SegmentSeal.fileName(segBase)));
        return null;
    }

    /** Cuts bytes found after a sealed segment's sealed end (never part of the log); answers how many. */
    private static long cutPastSeal(String who, Segment seg) throws IOException {
        long extra = seg.channel().size() - seg.size();
        if (extra <= 0) return 0;
        seg.channel().truncate(seg.size());
        seg.channel().force(false);
        LOG.warn(
                "[{}] recovery: {} bytes after the sealed end of {} cut (DATA CORRUPTION: the file changed after it"
                        + " was sealed)",
                who,
                extra,
                seg.file().getFileName());
        return extra;
    }

    /** Deletes the segments after the bad one (last first, so a crash here leaves a prefix), then truncates it. */
    private static RecoveryReport cut(
            Path dir,
            String who,
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
            AtomicFiles.delete(file);
            AtomicFiles.delete(dir.resolve(SegmentSeal.fileName(bases.get(i))));
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
            AtomicFiles.delete(seg.file());
            AtomicFiles.delete(dir.resolve(SegmentSeal.fileName(seg.baseIndex())));
        } else {
            seg.channel().truncate(seg.size()); // the scan indexed only the good records
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
        return new RecoveryReport(entries, bytesDropped, segmentsDropped, corruption);
    }

    /** A reset was under way when the process stopped: it deletes every segment, then clears the mark. */
    private static void finishReset(Path dir, String who, Position base) throws IOException {
        List<Long> bases = segmentBases(dir);
        for (int i = bases.size() - 1; i >= 0; i--) {
            AtomicFiles.delete(dir.resolve(Segment.fileName(bases.get(i))));
            AtomicFiles.delete(dir.resolve(SegmentSeal.fileName(bases.get(i))));
        }
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
            AtomicFiles.delete(dir.resolve(SegmentSeal.fileName(bases.get(drop))));
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
                seg.add(recOffset, e.epoch(), bufStart + buf.position(), e.timestamp());
                seg.checksum(buf.duplicate().position(recPos).limit(buf.position()));
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

    /** Deletes seals whose segment is gone (a deletion cut short: the segment goes first). */
    private static void deleteOrphanSeals(Path dir, String who, List<Long> bases) throws IOException {
        List<Path> seals;
        try (Stream<Path> files = Files.list(dir)) {
            seals = files.filter(
                            p -> SEAL_NAME.matcher(p.getFileName().toString()).matches())
                    .toList();
        }
        for (Path seal : seals) {
            long segBase = Long.parseLong(seal.getFileName().toString().substring(0, 20));
            if (!bases.contains(segBase)) {
                AtomicFiles.delete(seal);
                LOG.info("[{}] recovery: deleted seal {} left without its segment", who, seal.getFileName());
            }
        }
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
