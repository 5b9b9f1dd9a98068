package io.understudy.sidecar.delivery;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Passes bytes through and fails once more than {@code max} went by (a snapshot larger than any we accept). */
final class BoundedStream extends FilterInputStream {
    private final long max;
    private long count;

    BoundedStream(InputStream in, long max) {
        super(in);
        this.max = max;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) counted(1);
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) counted(n);
        return n;
    }

    private void counted(long n) throws IOException {
        count += n;
        if (count > max) throw new IOException("a snapshot of more than " + max + " bytes");
    }
}
