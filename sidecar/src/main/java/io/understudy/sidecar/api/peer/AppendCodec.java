package io.understudy.sidecar.api.peer;

import io.understudy.sidecar.log.CorruptRecordException;
import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.RecordBatch;
import io.understudy.sidecar.log.RecordCodec;
import io.understudy.sidecar.replication.AppendRequest;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The body of {@code POST /peer/v1/append}, big-endian:
 *
 * <pre>
 * int  magic 0x55535041 ("USPA")   byte version 1
 * int  partition                   long epoch
 * int  leaderLength, leader UTF-8
 * long prevIndex                   long prevEpoch
 * long commitIndex                 [version 2: long baseIndex]
 * int  entryCount
 * entryCount records in the log's own format ({@link RecordCodec}), each with its CRC-32C
 * </pre>
 *
 * The records are the bytes the leader's log stores, shipped unchanged (never decoded and re-encoded per follower);
 * the follower checks every checksum, and that the indexes continue {@code prevIndex} densely, before it appends
 * anything, so it detects corruption on disk or on the wire. Version 2 adds the leader's log base index; a leader
 * whose log was never trimmed (base 0) still writes version 1, so followers of an older version read it.
 */
public final class AppendCodec {
    private static final int MAGIC = 0x55535041;
    private static final byte VERSION = 1;
    private static final byte VERSION_WITH_BASE = 2;

    private AppendCodec() {}

    public static byte[] encode(AppendRequest request) {
        byte[] leader = request.leader().getBytes(StandardCharsets.UTF_8);
        boolean withBase = request.baseIndex() > 0;
        int size = 4 + 1 + 4 + 8 + 4 + leader.length + 8 + 8 + 8 + (withBase ? 8 : 0) + 4;
        byte[] records = request.records().bytes();
        size += records.length;
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(MAGIC).put(withBase ? VERSION_WITH_BASE : VERSION).putInt(request.partition());
        out.putLong(request.epoch());
        out.putInt(leader.length).put(leader);
        out.putLong(request.prevIndex()).putLong(request.prevEpoch()).putLong(request.commitIndex());
        if (withBase) out.putLong(request.baseIndex());
        out.putInt(request.size());
        out.put(records); // as the leader's log stores them
        return out.array();
    }

    /** @throws IllegalArgumentException with a reason when the body is not a valid append request */
    public static AppendRequest decode(byte[] body) {
        ByteBuffer in = ByteBuffer.wrap(body);
        try {
            if (in.getInt() != MAGIC) throw new IllegalArgumentException("not an append request (bad magic)");
            byte version = in.get();
            if (version != VERSION && version != VERSION_WITH_BASE)
                throw new IllegalArgumentException("unknown append request version " + version);
            int partition = in.getInt();
            long epoch = in.getLong();
            int leaderLength = in.getInt();
            if (leaderLength < 0 || leaderLength > 256) throw new IllegalArgumentException("bad leader length");
            byte[] leader = new byte[leaderLength];
            in.get(leader);
            long prevIndex = in.getLong();
            long prevEpoch = in.getLong();
            long commitIndex = in.getLong();
            long baseIndex = version == VERSION_WITH_BASE ? in.getLong() : 0;
            int count = in.getInt();
            byte[] records = new byte[in.remaining()];
            in.get(records);
            List<Entry> entries = RecordCodec.decodeAll(ByteBuffer.wrap(records), partition);
            if (entries.size() != count) {
                throw new IllegalArgumentException(
                        "append request announces " + count + " entries but holds " + entries.size());
            }
            for (int i = 0; i < entries.size(); i++) {
                if (entries.get(i).index() != prevIndex + 1 + i) {
                    throw new IllegalArgumentException("append request after index " + prevIndex + " holds index "
                            + entries.get(i).index() + " in place " + i);
                }
            }
            return new AppendRequest(
                    partition,
                    epoch,
                    new String(leader, StandardCharsets.UTF_8),
                    prevIndex,
                    prevEpoch,
                    commitIndex,
                    RecordBatch.decoded(records, entries),
                    baseIndex);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("append request cut short");
        } catch (CorruptRecordException e) {
            throw new IllegalArgumentException("append request holds a bad record: " + e.getMessage());
        }
    }
}
