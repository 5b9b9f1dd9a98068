package io.understudy.sidecar.delivery;

import io.understudy.sidecar.config.AppConfig;
import io.understudy.sidecar.log.DurableLong;
import io.understudy.sidecar.log.Entry;
import io.understudy.sidecar.log.PartitionLog;
import io.understudy.sidecar.replication.Wakeup;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single thread that hands one partition's committed entries to the host app, in index order and in
 * batches (rule 7 of docs/design.md), and keeps the index the app confirmed on disk so that a restart resumes there.
 * An app that holds less than recorded (it lost its state) gets the entries again from where it really is: it
 * says so in a {@code 409}, when asked its position (at start, after a failed delivery, and every
 * {@code app.positionCheckInterval}, idle or not), or by asking for redelivery itself ({@link #redeliver}).
 * The recorded applied index (status, {@code /v1/wait}, readiness) then drops to what the app really holds.
 *
 * <p>The same thread tells the app its member's role ({@link RoleNotice}): at start, whenever role, leader or
 * epoch changed since the last notice the app took, and again when the app seems to have restarted (a failed
 * delivery, a lost position, a redelivery request); a refused notice is sent again after the retry backoff, always
 * the newest state.
 */
public final class DeliveryLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryLoop.class);
    private static final Duration IDLE_WAIT = Duration.ofMillis(500);

    /** The app's request to be delivered again from {@code position}, or from what it says it holds if empty. */
    private record Redelivery(OptionalLong position, CompletableFuture<Long> recorded) {}

    private final String tag;
    private final int partition;
    private final PartitionLog partitionLog;
    private final LongSupplier commitIndex;
    private final AppliedCursor cursor;
    private final HostAppClient app;
    /** Taking snapshots from the app and installing them into it; empty when the member keeps none. */
    private final Optional<AppSnapshots> snapshots;
    /** Payload bytes in one delivery (at least one entry), so a batch of large entries cannot exhaust the heap. */
    static final long MAX_BATCH_BYTES = 2L << 20;

    private final RoleTeller roles;
    private final int batchEntries;
    private final Duration retryBackoff;
    private final Duration positionCheckInterval;
    private final Duration idleWait;
    private final Queue<Redelivery> redeliveries = new ConcurrentLinkedQueue<>();
    private final AppliedWaiters waiters;
    private final Wakeup wakeup = new Wakeup();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean appHealthy = true;
    private volatile long failures;
    // Confined to the delivery thread.

    public DeliveryLoop(
            String member,
            int partition,
            PartitionLog partitionLog,
            LongSupplier commitIndex,
            DurableLong appliedOnDisk,
            HostAppClient app,
            Supplier<RoleNotice> currentRole,
            AppConfig settings) {
        this(member, partition, partitionLog, commitIndex, appliedOnDisk, app, currentRole, settings, Optional.empty());
    }

    /** @param snapshots the partition's snapshots: taken as the app applies, installed when it is below the base */
    public DeliveryLoop(
            String member,
            int partition,
            PartitionLog partitionLog,
            LongSupplier commitIndex,
            DurableLong appliedOnDisk,
            HostAppClient app,
            Supplier<RoleNotice> currentRole,
            AppConfig settings,
            Optional<AppSnapshots> snapshots) {
        this.snapshots = snapshots;
        this.tag = "[" + member + " p" + partition + "]";
        this.partition = partition;
        this.partitionLog = partitionLog;
        this.commitIndex = commitIndex;
        // Written at most once per position check: the check (and the one at start) covers a write the disk lost.
        this.cursor = new AppliedCursor(appliedOnDisk, settings.positionCheckInterval(), System::nanoTime);
        this.app = app;
        this.roles = new RoleTeller(tag, partition, app, currentRole, settings.retryBackoff());
        this.batchEntries = settings.batchEntries();
        this.retryBackoff = settings.retryBackoff();
        this.positionCheckInterval = settings.positionCheckInterval();
        this.idleWait = IDLE_WAIT.compareTo(positionCheckInterval) < 0 ? IDLE_WAIT : positionCheckInterval;
        this.waiters = new AppliedWaiters(appliedOnDisk.get());
        this.thread = new Thread(this::run, "p" + partition + "-deliver");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** The member's role, leader or epoch may have changed: tell the app now. */
    public void roleChanged() {
        wakeup.signal();
    }

    /** The commit index moved: deliver now. */
    public void commitAdvanced() {
        wakeup.signal();
    }

    /**
     * The app asks to be delivered again from {@code position + 1} ({@code POST /v1/redeliver}), e.g. at its start
     * after losing its state. Without a position the app is asked for it ({@code GET /understudy/position}); an
     * app that does not answer that is delivered everything again. Completes with the applied index recorded
     * afterwards, once status and {@code /v1/wait} reflect it.
     */
    public CompletableFuture<Long> redeliver(OptionalLong position) {
        Redelivery request = new Redelivery(position, new CompletableFuture<>());
        redeliveries.add(request);
        wakeup.signal();
        if (!running) failRedeliveries();
        return request.recorded();
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
        long nextPositionCheck = 0;
        while (running) {
            try {
                serveRedeliveries();
                roles.tell();
                boolean answered = false;
                if (askPosition || System.nanoTime() - nextPositionCheck >= 0) {
                    nextPositionCheck = System.nanoTime() + positionCheckInterval.toNanos();
                    OptionalLong held = app.position(partition);
                    askPosition = false;
                    answered = true;
                    if (held.isPresent()) adopt(held.getAsLong(), "the app holds index");
                }
                long applied = waiters.applied();
                if (installedSnapshot(applied)) continue;
                long upTo = Math.min(commitIndex.getAsLong(), partitionLog.logEnd());
                if (upTo <= applied) {
                    // Nothing to deliver: an app that answered is as healthy as one that took a batch (an app
                    // started after its sidecar would otherwise stay "not taking deliveries" until the first write).
                    if (answered) appHealthy = true;
                    cursor.writeIfDue();
                    wakeup.awaitQuietly(idleWait);
                    continue;
                }
                List<Entry> batch =
                        partitionLog.read(applied + 1, (int) Math.min(batchEntries, upTo - applied), MAX_BATCH_BYTES);
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
                snapshots.ifPresent(s -> s.applied(waiters.applied()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                failures++;
                askPosition = true;
                roles.appMayHaveRestarted();
                if (appHealthy) log.warn("{} delivery to the app failed, retrying: {}", tag, e.toString());
                appHealthy = false;
                wakeup.awaitQuietly(retryBackoff);
            }
        }
    }

    /**
     * An app below the log's base (new, lost its memory, or this member caught up through a snapshot) first gets the
     * newest stored snapshot; delivery then goes on after it.
     */
    private boolean installedSnapshot(long applied) throws IOException, InterruptedException {
        if (snapshots.isEmpty()) return false;
        OptionalLong installed = snapshots.get().installIfBehind(applied);
        if (installed.isEmpty()) return false;
        log.info(
                "{} the app installed the snapshot at {}: delivering from {}",
                tag,
                installed.getAsLong(),
                installed.getAsLong() + 1);
        appHealthy = true;
        record(installed.getAsLong());
        return true;
    }

    private void serveRedeliveries() throws IOException, InterruptedException {
        for (Redelivery request = redeliveries.poll(); request != null; request = redeliveries.poll()) {
            try {
                roles.appMayHaveRestarted(); // it asks for redelivery: it has just started
                adopt(request.position().orElse(askedPosition()), "the app asks for redelivery: it holds index");
                request.recorded().complete(waiters.applied());
            } catch (IOException | InterruptedException | RuntimeException e) {
                request.recorded().completeExceptionally(e);
                throw e;
            }
        }
    }

    /** The position the app answers, or 0 (everything again) when it does not serve the call or cannot answer. */
    private long askedPosition() throws InterruptedException {
        try {
            return app.position(partition).orElse(0);
        } catch (IOException e) {
            log.info("{} the app asks for redelivery but does not say its position ({}): delivering all", tag, e);
            return 0;
        }
    }

    /**
     * Delivers from the position the app says it really holds (an app restarted with less state is redelivered from
     * there, and the recorded applied index drops to it). A position beyond this member's log cannot be checked:
     * delivery goes on from the log end and says so.
     */
    private void adopt(long position, String why) throws IOException {
        if (position == waiters.applied()) return;
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
        log.info("{} {} {} (recorded: {}): delivering from {}", tag, why, position, waiters.applied(), position + 1);
        if (position < waiters.applied()) roles.appMayHaveRestarted(); // it lost state: its role too
        record(position);
    }

    private void record(long applied) throws IOException {
        if (applied != waiters.applied()) cursor.record(applied);
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
        if (!thread.isAlive()) writeCursor(); // else the thread still owns it
        failRedeliveries();
    }

    private void writeCursor() {
        try {
            cursor.writeNow();
        } catch (IOException e) {
            log.warn("{} cannot write the applied index {} on stopping: {}", tag, cursor.applied(), e.toString());
        }
    }

    private void failRedeliveries() {
        for (Redelivery request = redeliveries.poll(); request != null; request = redeliveries.poll()) {
            request.recorded().completeExceptionally(new IllegalStateException("delivery is stopping"));
        }
    }
}
