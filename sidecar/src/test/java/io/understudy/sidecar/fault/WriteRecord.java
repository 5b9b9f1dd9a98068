package io.understudy.sidecar.fault;

/**
 * One client call and what it came to. {@code startNanos}/{@code endNanos} are {@link System#nanoTime()} readings
 * of the test JVM; partition, epoch, index and leader are set for {@link Outcome#ACKED} only.
 */
record WriteRecord(
        String key,
        boolean sync,
        String member,
        long startNanos,
        long endNanos,
        Outcome outcome,
        int partition,
        long epoch,
        long index,
        String leader,
        String detail) {

    enum Outcome {
        /** 200 with the entry's position: the sidecar promised the write at that durability. */
        ACKED,
        /** A clean refusal: the write was not taken (no leader here, ISR too small, bad request, API down). */
        REFUSED,
        /** Time-out, connection lost mid-call, or an answer that says the outcome is unknown. */
        UNKNOWN
    }
}
