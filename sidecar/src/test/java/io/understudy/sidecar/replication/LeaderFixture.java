package io.understudy.sidecar.replication;

import io.understudy.sidecar.config.Durability;
import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.coordination.Versioned;
import io.understudy.sidecar.log.FsyncPolicy;
import io.understudy.sidecar.log.SegmentedLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A started leader session over a real log in {@code dir}, driven by a {@link LoopHost}; close it after the test. */
final class LeaderFixture implements AutoCloseable {
    static final Duration LAG_MAX = Duration.ofSeconds(10);

    final SegmentedLog partitionLog;
    final LeaderSession session;
    private final LoopHost host;
    private final int partition;

    LeaderFixture(
            Path dir,
            int partition,
            Versioned<PartitionState> state,
            int minInSync,
            Duration balanceDelay,
            HeldStateStore store,
            LoopHost host,
            Clock wall,
            Ticker ticker)
            throws Exception {
        this.host = host;
        this.partition = partition;
        this.partitionLog = SegmentedLog.open(dir, partition, FsyncPolicy.NEVER, Duration.ZERO, 1 << 20);
        SenderSettings sender = new SenderSettings(100, 1 << 20, Duration.ofMillis(100), Duration.ofSeconds(30));
        LeaderSettings settings = new LeaderSettings(minInSync, LAG_MAX, sender, balanceDelay);
        this.session = new LeaderSession(
                partition,
                state.value().leader(),
                state,
                0,
                partitionLog,
                store,
                new IdlePeers(),
                settings,
                wall,
                ticker,
                host);
        session.start();
        host.runLoop();
    }

    /** Submits a write of {@code durability} without running the loop. */
    CompletableFuture<Ack> submit(Durability durability) {
        CompletableFuture<Ack> ack = new CompletableFuture<>();
        session.submit(
                new WriteRequest(partition, "k", "text/plain", "v".getBytes(StandardCharsets.UTF_8), durability), ack);
        return ack;
    }

    /** Submits a write of {@code durability} and runs the loop. */
    CompletableFuture<Ack> write(Durability durability) {
        CompletableFuture<Ack> ack = submit(durability);
        host.runLoop();
        return ack;
    }

    /** {@code member} answers that it holds the leader's log through {@code index} and is caught up. */
    void matched(String member, String dataDirId, long index) {
        session.appended(member, AppendResponse.appended(session.epoch(), index, index, dataDirId), true);
        host.runLoop();
    }

    /** {@code member} answers that its replica of the partition has FAILED (its log failed). */
    void answersFailed(String member, String dataDirId) {
        session.followerFailed(
                member,
                AppendResponse.refused(
                        AppendResponse.Result.FAILED,
                        session.epoch(),
                        0,
                        0,
                        dataDirId,
                        "replica stopped: fsync failed"));
        host.runLoop();
    }

    @Override
    public void close() throws Exception {
        session.close("test over");
        partitionLog.close();
    }
}
