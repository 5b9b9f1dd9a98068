package io.understudy.sidecar.delivery;

import io.understudy.sidecar.log.PartitionLog;
import io.understudy.sidecar.log.Position;
import io.understudy.sidecar.snapshot.SnapshotInfo;
import io.understudy.sidecar.snapshot.SnapshotStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition's snapshots between the host app and this member's {@link SnapshotStore} (DELIVERY.md, "Snapshots";
 * docs/design.md, "Snapshots and a bounded log"). Taking: when its {@link SnapshotSchedule} says so (every {@code
 * intervalEntries} applied entries, or sooner for a log over its retention bytes), the app is asked for a snapshot on {@code executor} (never the partition loop or the delivery thread, and
 * no lock is held across the call) and it is stored with the epoch the log holds at the app's index. Installing: the
 * delivery loop hands the newest stored snapshot to an app whose applied index is below the log's base.
 *
 * <p>Whether the app supports snapshots is learnt from its first answer: {@code 404}/{@code 501} means never (until
 * a restart), and the log is then trimmed only below what every member applied.
 */
public final class AppSnapshots {
    private static final Logger log = LoggerFactory.getLogger(AppSnapshots.class);

    /** What this member knows of its app's snapshot support. */
    public enum Support {
        /** Not asked yet. */
        UNKNOWN,
        SUPPORTED,
        UNSUPPORTED
    }

    private final String tag;
    private final int partition;
    private final HostAppClient app;
    private final SnapshotStore store;
    private final PartitionLog partitionLog;
    private final SnapshotSchedule schedule;
    private final Executor executor;
    private final AtomicBoolean taking = new AtomicBoolean();
    private volatile Support support = Support.UNKNOWN;
    /** The index of the newest snapshot stored, or of the last attempt that failed: the next is due from there. */
    private volatile long lastAttempt;

    private volatile long failures;

    public AppSnapshots(
            String member,
            int partition,
            HostAppClient app,
            SnapshotStore store,
            PartitionLog partitionLog,
            SnapshotSchedule schedule,
            Executor executor)
            throws IOException {
        this.tag = "[" + member + " p" + partition + "]";
        this.partition = partition;
        this.app = app;
        this.store = store;
        this.partitionLog = partitionLog;
        this.schedule = schedule;
        this.executor = executor;
        this.lastAttempt = store.latest(partition).map(SnapshotInfo::index).orElse(0L);
    }

    public Support support() {
        return support;
    }

    /** Attempts to take a snapshot that failed (the app answered an error, or the store could not save it). */
    public long failures() {
        return failures;
    }

    /** The index of the newest snapshot this member stores for the partition, if any. */
    public OptionalLong latestIndex() throws IOException {
        Optional<SnapshotInfo> latest = store.latest(partition);
        return latest.isPresent() ? OptionalLong.of(latest.get().index()) : OptionalLong.empty();
    }

    public SnapshotStore store() {
        return store;
    }

    public int partition() {
        return partition;
    }

    /**
     * The app now holds {@code appliedIndex} (called by the delivery thread): when the {@link SnapshotSchedule} says a
     * snapshot is due, asks the app for one, asynchronously. Never blocks.
     */
    public void applied(long appliedIndex) {
        if (support == Support.UNSUPPORTED || !schedule.due(appliedIndex - lastAttempt, partitionLog)) return;
        if (!taking.compareAndSet(false, true)) return;
        try {
            executor.execute(() -> take(appliedIndex));
        } catch (RejectedExecutionException e) {
            taking.set(false); // stopping
        }
    }

    private void take(long appliedIndex) {
        try {
            Optional<HostAppClient.AppSnapshot> answer = app.snapshot(partition);
            if (answer.isEmpty()) {
                if (support != Support.UNSUPPORTED) {
                    log.info(
                            "{} the app does not serve snapshots (404/501): the log is trimmed only below what every"
                                    + " member applied",
                            tag);
                }
                support = Support.UNSUPPORTED;
                return;
            }
            support = Support.SUPPORTED;
            try (HostAppClient.AppSnapshot snapshot = answer.get()) {
                save(snapshot);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            failures++;
            lastAttempt = Math.max(lastAttempt, appliedIndex); // the next try after another interval, not at once
            log.warn("{} taking a snapshot from the app failed, trying again later: {}", tag, e.toString());
        } finally {
            taking.set(false);
        }
    }

    private void save(HostAppClient.AppSnapshot snapshot) throws IOException {
        long index = snapshot.appliedIndex();
        lastAttempt = Math.max(lastAttempt, index);
        long epoch = partitionLog.epochAt(index);
        if (index < 1 || epoch < 1) {
            // Index 0 is no state; a negative epoch: beyond the log end or below its base (reset meanwhile).
            throw new IOException("the app's snapshot is at index " + index + ", where this member's log holds no"
                    + " entry (epoch " + epoch + ", log " + partitionLog.base() + " to " + partitionLog.logEnd() + ")");
        }
        store.save(partition, new Position(epoch, index), snapshot.bytes());
    }

    /**
     * Hands the newest stored snapshot to the app when it holds less than the log's base (the entries it needs next
     * are no longer in the log): blocking, on the delivery thread. Returns the index the app now holds, or empty when
     * nothing was installed (the app is not behind the base).
     *
     * @throws IOException when the app does not take it, or no stored snapshot covers the base (the app cannot be
     *     brought forward: said in the message; the caller retries)
     */
    public OptionalLong installIfBehind(long appliedIndex) throws IOException, InterruptedException {
        Position base = partitionLog.base();
        if (appliedIndex >= base.index()) return OptionalLong.empty();
        Optional<SnapshotInfo> latest = store.latest(partition);
        if (latest.isEmpty() || latest.get().index() < base.index()) {
            throw new IOException("the app holds index " + appliedIndex + " but this member's log starts after "
                    + base + " and no stored snapshot covers it: the app cannot be brought forward (an app that does"
                    + " not serve snapshots must keep its state; see README, \"Snapshots and a bounded log\")");
        }
        SnapshotInfo snapshot = latest.get();
        log.info(
                "{} the app holds index {}, below the log's base {}: installing the snapshot at {} ({} bytes)",
                tag,
                appliedIndex,
                base,
                snapshot.position(),
                snapshot.sizeBytes());
        try (InputStream bytes = store.open(snapshot)) {
            app.installSnapshot(partition, snapshot.index(), bytes);
        }
        return OptionalLong.of(snapshot.index());
    }
}
