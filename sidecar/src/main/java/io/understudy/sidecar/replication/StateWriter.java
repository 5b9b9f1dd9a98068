package io.understudy.sidecar.replication;

import io.understudy.sidecar.coordination.IsrMember;
import io.understudy.sidecar.coordination.PartitionState;
import io.understudy.sidecar.coordination.PartitionStateStore;
import io.understudy.sidecar.coordination.Versioned;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A leader's conditional writes of its partition state (docs/design.md rule 6), one at a time, and the ISR commit
 * must count meanwhile. A member that the change in flight adds counts for commit from the moment the write leaves
 * until its outcome is known ("maximal ISR", Kafka KIP-497): otherwise entries the old ISR commits in that window
 * can be missing from a member ZooKeeper already lists as in sync, and that member could lead without them.
 *
 * <p>When a connection loss hides the reply (or a retry of it finds the version moved), the outcome is found by
 * re-reading the state: a newer version holding the change settles it; a newer version holding something else
 * means the write lost; an unchanged version gets the same change written again on that version, which also fences
 * the delayed original should it still arrive. Until then the change stays counted. Confined to the partition loop.
 */
final class StateWriter {
    private static final Logger log = LoggerFactory.getLogger(StateWriter.class);

    /** What the leader hears once a change's outcome is known, on the partition loop. */
    interface Outcome {
        /** The state znode now holds the change, at {@code written}'s version. */
        void written(Versioned<PartitionState> written, String why);

        /** Someone else changed the state znode first: the change did not happen. */
        void lost(String why);
    }

    private record Change(PartitionState next, int expectedVersion, String why) {}

    private final int partition;
    private final PartitionStateStore store;
    private final Consumer<Runnable> loop;
    private final Outcome outcome;
    private final String tag;
    /** The change whose outcome is not known yet, or null. */
    private Change change;
    /** Whether a write or a re-read of {@link #change} is outstanding. */
    private boolean asking;

    private boolean closed;

    StateWriter(int partition, PartitionStateStore store, Consumer<Runnable> loop, Outcome outcome, String tag) {
        this.partition = partition;
        this.store = store;
        this.loop = loop;
        this.outcome = outcome;
        this.tag = tag;
    }

    /** Whether a change is in flight or of unknown outcome; no other change starts meanwhile. */
    boolean busy() {
        return change != null;
    }

    /** Writes {@code next} on {@code base}'s version. Only when not {@link #busy()}. */
    void write(Versioned<PartitionState> base, PartitionState next, String why) {
        if (change != null) throw new IllegalStateException(tag + " a state write is already in flight");
        change = new Change(next, base.version(), why);
        send(change);
    }

    /** The members commit needs: those {@code current} lists, and those the change in flight adds. */
    Set<String> maximalIsr(PartitionState current) {
        Set<String> members = new LinkedHashSet<>(current.isrMemberIds());
        if (change != null) members.addAll(change.next().isrMemberIds());
        return members;
    }

    /** The ISR entry commit counts for {@code member}: from {@code current}, else from the change in flight. */
    Optional<IsrMember> entryOf(PartitionState current, String member) {
        Optional<IsrMember> entry = current.isrEntryOf(member);
        if (entry.isPresent() || change == null) return entry;
        return change.next().isrEntryOf(member);
    }

    /** Asks again about a change of unknown outcome whose last re-read failed (called on every tick). */
    void retry() {
        if (change != null && !asking && !closed) reread(change);
    }

    void close() {
        closed = true;
    }

    private void send(Change c) {
        asking = true;
        store.compareAndSet(partition, c.next(), c.expectedVersion())
                .whenComplete((written, error) -> loop.accept(() -> replied(c, written, error)));
    }

    private void replied(Change c, Versioned<PartitionState> written, Throwable error) {
        if (closed || c != change) return;
        asking = false;
        if (error == null) {
            settle(written);
            return;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        // A stale version may be our own earlier attempt (a retried request, or the original of a resent change)
        // that landed after all: only a re-read tells.
        log.warn(
                "{} state write on version {} has an unknown outcome ({}): re-reading, and counting {} meanwhile",
                tag,
                c.expectedVersion(),
                cause.toString(),
                c.next().isrMemberIds());
        reread(c);
    }

    private void reread(Change c) {
        asking = true;
        store.read(partition).whenComplete((seen, error) -> loop.accept(() -> reread(c, seen, error)));
    }

    private void reread(Change c, Versioned<PartitionState> seen, Throwable error) {
        if (closed || c != change) return;
        asking = false;
        if (error != null) {
            log.warn("{} cannot re-read the state, will retry: {}", tag, error.toString());
        } else if (seen.version() == c.expectedVersion()) {
            log.info(
                    "{} state still at version {}: writing the same change again on it (this fences the first)",
                    tag,
                    seen.version());
            send(c);
        } else if (seen.version() > c.expectedVersion() && seen.value().equals(c.next())) {
            settle(seen);
        } else if (seen.version() > c.expectedVersion()) {
            change = null;
            outcome.lost("state changed to version " + seen.version() + " (" + seen.value() + ") under our write");
        } else {
            log.warn("{} re-read found version {} below {}, will retry", tag, seen.version(), c.expectedVersion());
        }
    }

    private void settle(Versioned<PartitionState> written) {
        String why = change.why();
        change = null;
        outcome.written(written, why);
    }
}
