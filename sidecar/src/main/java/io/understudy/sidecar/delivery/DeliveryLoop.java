package io.understudy.sidecar.delivery;

import io.understudy.sidecar.log.DurableLong;
import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.PartitionLog;
import io.understudy.sidecar.replication.Wakeup;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single thread that hands one partition's committed entries to the host app, in index order and in
 * batches (rule 7 of docs/design.md), and keeps the index the app confirmed on disk so that a restart resumes there.
 * An app that answers it holds less (it lost its state) gets the entries again from where it really is.
 */
public final class DeliveryLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryLoop.class);

    private final String tag;
    private final int partition;
    private final PartitionLog partitionLog;
    private final LongSupplier commitIndex;
    private final DurableLong appliedOnDisk;
    private final HostAppClient app;
    private final int batchEntries;
    private final Duration retryBackoff;
    private final AppliedWaiters waiters;
    private final Wakeup wakeup = new Wakeup();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean appHealthy = true;
    private volatile long failures;

    public DeliveryLoop(
            String member,
            int partition,
            PartitionLog partitionLog,
            LongSupplier commitIndex,
            DurableLong appliedOnDisk,
            HostAppClient app,
            int batchEntries,
            Duration retryBackoff) {
        this.tag = "[" + member + " p" + partition + "]";
        this.partition = partition;
        this.partitionLog = partitionLog;
        this.commitIndex = commitIndex;
        this.appliedOnDisk = appliedOnDisk;
        this.app = app;
        this.batchEntries = batchEntries;
        this.retryBackoff = retryBackoff;
        this.waiters = new AppliedWaiters(appliedOnDisk.get());
        this.thread = new Thread(this::run, "p" + partition + "-deliver");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** The commit index moved: deliver now. */
    public void commitAdvanced() {
        wakeup.signal();
    }

    public long appliedIndex() {
        return waiters.applied();
    }

    public AppliedWaiters waiters() {
        return waiters;
    }

    public boolean appHealthy() {
        return appHealthy;
    }

    /** Deliveries that failed and were retried since start. */
    public long failures() {
        return failures;
    }

    private void run() {
        boolean askPosition = true;
        while (running) {
            try {
                if (askPosition) {
                    adoptAppPosition();
                    askPosition = false;
                }
                long applied = waiters.applied();
                long upTo = Math.min(commitIndex.getAsLong(), partitionLog.logEnd());
                if (upTo <= applied) {
                    wakeup.awaitQuietly(Duration.ofMillis(500));
                    continue;
                }
                List<Entry> batch =
                        partitionLog.read(applied + 1, (int) Math.min(batchEntries, upTo - applied), Long.MAX_VALUE);
                if (batch.isEmpty()) {
                    wakeup.awaitQuietly(retryBackoff);
                    continue;
                }
                HostAppClient.Applied answer = app.apply(partition, batch);
                long last = batch.get(batch.size() - 1).index();
                long now = Math.min(answer.appliedIndex(), last);
                if (answer.behind()) {
                    log.info("{} the app holds only index {}: delivering again from {}", tag, now, now + 1);
                }
                appHealthy = true;
                record(Math.max(0, now));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                failures++;
                askPosition = true;
                if (appHealthy) log.warn("{} delivery to the app failed, retrying: {}", tag, e.toString());
                appHealthy = false;
                wakeup.awaitQuietly(retryBackoff);
            }
        }
    }

    /**
     * Starts from the position the app says it really holds (an app restarted with less state is redelivered from
     * there). A position beyond this member's log cannot be checked: delivery goes on from the log end and says so.
     */
    private void adoptAppPosition() throws IOException, InterruptedException {
        java.util.OptionalLong held = app.position(partition);
        if (held.isEmpty() || held.getAsLong() == waiters.applied()) return;
        long position = held.getAsLong();
        if (position > partitionLog.logEnd()) {
            log.error(
                    "{} the app says it holds index {} but this member's log ends at {}: the app holds writes "
                            + "this member does not; delivering from {} on",
                    tag,
                    position,
                    partitionLog.logEnd(),
                    partitionLog.logEnd() + 1);
            position = partitionLog.logEnd();
        }
        log.info(
                "{} the app holds index {} (recorded: {}): delivering from {}",
                tag,
                position,
                waiters.applied(),
                position + 1);
        record(position);
    }

    private void record(long applied) throws IOException {
        if (applied != waiters.applied()) appliedOnDisk.set(applied);
        waiters.advance(applied);
    }

    /** Stops after the delivery in flight (never interrupts: that would close the log's file channel). */
    @Override
    public void close() {
        running = false;
        wakeup.signal();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
