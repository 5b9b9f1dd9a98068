package io.understudy.sidecar.log;

/**
 * What {@link SegmentedLog#open} found on the disk.
 *
 * @param entriesRecovered entries kept and served
 * @param bytesDropped bytes removed from the end of the log (the bad record and everything after it)
 * @param segmentsDropped whole segment files deleted after the bad record
 * @param corruptionFound true when data that may have been durable was damaged or missing (bad CRC, garbage, an
 *     index gap, a torn record with later data behind it): the member must leave the ISR. False when the log was
 *     clean or only its last record was torn by a crash mid-write (never forced, so never acknowledged).
 */
public record RecoveryReport(long entriesRecovered, long bytesDropped, int segmentsDropped, boolean corruptionFound) {
    /** True when anything was dropped. */
    public boolean truncated() {
        return bytesDropped > 0 || segmentsDropped > 0;
    }
}
