package io.understudy.sidecar.snapshot;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32C;

/**
 * Counts and checksums what is read; at the end, throws {@link CorruptSnapshotException} when the size or the
 * CRC-32C does not match {@code expected}. Reading a stored snapshot goes through it, and so does receiving one from
 * the leader: {@link SnapshotStore#save} then fails before the snapshot becomes visible.
 */
public final class CheckedSnapshotStream extends FilterInputStream {
    private final SnapshotInfo expected;
    private final CRC32C crc = new CRC32C();
    private long read;
    private boolean checked;

    public CheckedSnapshotStream(InputStream in, SnapshotInfo expected) {
        super(in);
        this.expected = expected;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            crc.update(b, off, n);
            read += n;
            if (read > expected.sizeBytes()) check();
        } else if (n < 0) {
            check();
        }
        return n;
    }

    @Override
    public long skip(long n) {
        throw new UnsupportedOperationException("a checked snapshot stream is read, not skipped");
    }

    private void check() throws CorruptSnapshotException {
        if (checked) return;
        checked = true;
        if (read != expected.sizeBytes() || crc.getValue() != expected.crc32c()) {
            throw new CorruptSnapshotException("snapshot of p" + expected.partition() + " at " + expected.position()
                    + " is corrupt: read " + read + " bytes with CRC-32C " + Long.toHexString(crc.getValue())
                    + ", expected " + expected.sizeBytes() + " bytes with " + Long.toHexString(expected.crc32c()));
        }
    }
}
