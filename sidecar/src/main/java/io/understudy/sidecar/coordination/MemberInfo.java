package io.understudy.sidecar.coordination;

import java.util.Map;

/**
 * What a member publishes in its ephemeral znode: where to reach it and its latest heartbeat.
 *
 * @param id the member id
 * @param peerUrl the advertised peer URL (leaders push entries there)
 * @param version the Understudy version it runs
 * @param started when it started (ms since the epoch)
 * @param dataDirId the id of its data directory
 * @param heartbeatTime when this heartbeat was written (ms since the epoch)
 * @param partitions per partition: its log end and the index its app applied
 * @param appHealthy whether its host app accepted the last delivery (true when no app is configured)
 */
public record MemberInfo(
        String id,
        String peerUrl,
        String version,
        long started,
        String dataDirId,
        long heartbeatTime,
        Map<Integer, PartitionProgress> partitions,
        boolean appHealthy) {

    public MemberInfo {
        partitions = Map.copyOf(partitions);
    }

    /**
     * One partition's progress on a member.
     *
     * @param logEnd its log end
     * @param applied the index its app applied
     * @param lastEpoch the epoch of its last entry (0 when its log is empty): with {@code logEnd}, how complete
     *     its log is
     * @param leadingEpoch the epoch it leads, 0 when it does not lead: status pages name a leader only while its
     *     own heartbeat says so
     */
    public record PartitionProgress(long logEnd, long applied, long lastEpoch, long leadingEpoch) {}
}
