package io.understudy.sidecar.backup;

import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.RecordBatch;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A member in memory: partition 0 holds entries 1..logEnd of epoch 1 (committed up to {@code commitIndex}), and
 * optionally a snapshot at {@code snapshotIndex} (then its log starts right after it). Serves records in chunks of
 * at most 7, as a member serves them in chunks.
 */
public final class FakeBackupSource implements BackupSource {
    static final int CHUNK = 7;

    private final long commitIndex;
    private final long logEnd;
    private final long snapshotIndex;
    private final byte[] snapshot;
    private int snapshotCorruption; // bytes to flip in what is served

    public FakeBackupSource(long commitIndex, long logEnd, long snapshotIndex) {
        this.commitIndex = commitIndex;
        this.logEnd = logEnd;
        this.snapshotIndex = snapshotIndex;
        this.snapshot = ("state up to " + snapshotIndex).getBytes(StandardCharsets.UTF_8);
    }

    FakeBackupSource servingADamagedSnapshot() {
        snapshotCorruption = 1;
        return this;
    }

    public static Entry entry(long index) {
        return new Entry(
                0, 1, index, 1000 + index, "k" + index, "text/plain", ("v" + index).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public BackupOffer offer() {
        BackupManifest.SnapshotFile s = null;
        if (snapshotIndex > 0) {
            CRC32C crc = new CRC32C();
            crc.update(snapshot);
            s = new BackupManifest.SnapshotFile(snapshotIndex, 1, null, snapshot.length, crc.getValue());
        }
        return new BackupOffer(
                "g",
                "node-1",
                "1.2.3",
                List.of(new BackupOffer.PartitionOffer(0, "LEADER", commitIndex, snapshotIndex, logEnd, s)));
    }

    @Override
    public InputStream snapshot(int partition, long index) {
        byte[] served = snapshot.clone();
        served[0] ^= (byte) snapshotCorruption;
        return new ByteArrayInputStream(served);
    }

    @Override
    public RecordBatch records(int partition, long fromIndex, long toIndex) {
        List<Entry> entries = new ArrayList<>();
        for (long i = fromIndex; i <= Math.min(toIndex, logEnd) && entries.size() < CHUNK; i++) entries.add(entry(i));
        return RecordBatch.of(entries);
    }
}
