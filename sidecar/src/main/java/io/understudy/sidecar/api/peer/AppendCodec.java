package io.understudy.sidecar.api.peer;

import io.understudy.sidecar.log.CorruptRecordException;
import io.understudy.sidecar.log.Entry;
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
 * long commitIndex                 int  entryCount
 * entryCount records in the log's own format ({@link RecordCodec}), each with its CRC-32C
 * </pre>
 *
 * Entries travel with the checksum they have on disk, so a follower detects corruption on the wire too.
 */
public final class AppendCodec {
    private static final int MAGIC = 0x55535041;
    private static final byte VERSION = 1;

    private AppendCodec() {}

    public static byte[] encode(AppendRequest request) {
        byte[] leader = request.leader().getBytes(StandardCharsets.UTF_8);
        int size = 4 + 1 + 4 + 8 + 4 + leader.length + 8 + 8 + 8 + 4;
        for (Entry e : request.entries()) size += RecordCodec.encodedSize(e);
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(MAGIC).put(VERSION).putInt(request.partition()).putLong(request.epoch());
        out.putInt(leader.length).put(leader);
        out.putLong(request.prevIndex()).putLong(request.prevEpoch()).putLong(request.commitIndex());
        out.putInt(request.entries().size());
        for (Entry e : request.entries()) RecordCodec.encode(e, out);
        return out.array();
    }

    /** @throws IllegalArgumentException with a reason when the body is not a valid append request */
    public static AppendRequest decode(byte[] body) {
        ByteBuffer in = ByteBuffer.wrap(body);
        try {
            if (in.getInt() != MAGIC) throw new IllegalArgumentException("not an append request (bad magic)");
            byte version = in.get();
            if (version != VERSION) throw new IllegalArgumentException("unknown append request version " + version);
            int partition = in.getInt();
            long epoch = in.getLong();
            int leaderLength = in.getInt();
            if (leaderLength < 0 || leaderLength > 256) throw new IllegalArgumentException("bad leader length");
            byte[] leader = new byte[leaderLength];
            in.get(leader);
            long prevIndex = in.getLong();
            long prevEpoch = in.getLong();
            long commitIndex = in.getLong();
            int count = in.getInt();
            List<Entry> entries = RecordCodec.decodeAll(in.slice(), partition);
            if (entries.size() != count) {
                throw new IllegalArgumentException(
                        "append request announces " + count + " entries but holds " + entries.size());
            }
            return new AppendRequest(
                    partition,
                    epoch,
                    new String(leader, StandardCharsets.UTF_8),
                    prevIndex,
                    prevEpoch,
                    commitIndex,
                    entries);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("append request cut short");
        } catch (CorruptRecordException e) {
            throw new IllegalArgumentException("append request holds a bad record: " + e.getMessage());
        }
    }
}
