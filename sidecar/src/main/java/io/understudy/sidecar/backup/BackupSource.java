package io.understudy.sidecar.backup;

import io.understudy.sidecar.log.RecordBatch;
import java.io.IOException;
import java.io.InputStream;

/** The member a backup is taken from (in production its local API, see {@code HttpBackupSource}). */
public interface BackupSource {
    /** What the member offers now. */
    BackupOffer offer() throws IOException, InterruptedException;

    /** The bytes of the partition's stored snapshot at {@code index}; fails when the member no longer holds it. */
    InputStream snapshot(int partition, long index) throws IOException, InterruptedException;

    /**
     * Committed records from {@code fromIndex} on, as stored, at most up to {@code toIndex}: at least one when
     * {@code fromIndex <= toIndex}.
     */
    RecordBatch records(int partition, long fromIndex, long toIndex) throws IOException, InterruptedException;
}
