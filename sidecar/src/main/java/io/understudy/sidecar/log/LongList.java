package io.understudy.sidecar.log;

import java.util.Arrays;

/** A growable array of primitive longs: a segment's sparse index points and epoch runs without boxing. Not thread-safe. */
final class LongList {
    private long[] values = new long[64];
    private int size;

    void add(long value) {
        if (size == values.length) values = Arrays.copyOf(values, size * 2);
        values[size++] = value;
    }

    long get(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException(i + " of " + size);
        return values[i];
    }

    int size() {
        return size;
    }

    long[] toArray() {
        return Arrays.copyOf(values, size);
    }

    void truncate(int newSize) {
        if (newSize < 0 || newSize > size) throw new IndexOutOfBoundsException(newSize + " of " + size);
        size = newSize;
    }
}
