package io.understudy.sidecar.log;

import java.io.IOException;

/**
 * A log record that cannot be served: where it is (file or buffer, byte offset) and why.
 *
 * <p>{@link Kind#TORN} means the bytes end before the record does: the normal result of a crash during a write
 * that was never forced, hence never acknowledged. {@link Kind#CORRUPT} means the bytes are there but wrong (bad
 * CRC, unknown version, impossible lengths, an index out of sequence): data that may once have been durable is
 * damaged.
 */
public final class CorruptRecordException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Whether the record was cut short or damaged. */
    public enum Kind {
        TORN,
        CORRUPT
    }

    private final Kind kind;
    private final String source;
    private final long offset;
    private final String reason;

    public CorruptRecordException(Kind kind, String source, long offset, String reason) {
        super(kind.name().toLowerCase(java.util.Locale.ROOT) + " record in " + source + " at offset " + offset + ": "
                + reason);
        this.kind = kind;
        this.source = source;
        this.offset = offset;
        this.reason = reason;
    }

    /** The same finding placed in a file: {@code baseOffset} is the file offset of the decoded buffer's byte 0. */
    public CorruptRecordException in(String newSource, long baseOffset) {
        CorruptRecordException placed = new CorruptRecordException(kind, newSource, baseOffset + offset, reason);
        placed.initCause(this);
        return placed;
    }

    public Kind kind() {
        return kind;
    }

    /** The file (or "buffer") that holds the record. */
    public String source() {
        return source;
    }

    /** Byte offset of the record's first byte within {@link #source()}. */
    public long offset() {
        return offset;
    }

    /** Why the record was refused, without the place. */
    public String reason() {
        return reason;
    }
}
