package io.understudy.sidecar.log;

/** When {@link PartitionLog#sync()} forces appended entries to the disk. */
public enum FsyncPolicy {
    /** Force on every sync: an entry is on the disk before it is acknowledged. */
    ALWAYS,
    /** Force on a sync only when the configured interval has passed since the last force. */
    INTERVAL,
    /** Never force on sync; the operating system writes back when it likes (close still forces). */
    NEVER
}
