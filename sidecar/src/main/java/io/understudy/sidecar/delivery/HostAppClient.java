package io.understudy.sidecar.delivery;

import io.understudy.sidecar.log.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/** Hands committed entries to the host app and tells it of role changes (the contract is in DELIVERY.md). */
public interface HostAppClient extends AutoCloseable {

    /** The app's answer to a batch. */
    record Applied(boolean behind, long appliedIndex) {
        /** The app applied the batch and holds everything through {@code appliedIndex}. */
        public static Applied through(long appliedIndex) {
            return new Applied(false, appliedIndex);
        }

        /** The app holds less than the batch assumed (it lost state): resend from {@code appliedIndex + 1}. */
        public static Applied behindAt(long appliedIndex) {
            return new Applied(true, appliedIndex);
        }
    }

    /** Delivers consecutive committed entries of one partition; blocking. */
    Applied apply(int partition, List<Entry> entries) throws IOException, InterruptedException;

    /**
     * The applied index the app really holds for a partition, when it says so ({@code GET /understudy/position});
     * empty when it does not serve that call.
     */
    java.util.OptionalLong position(int partition) throws IOException, InterruptedException;

    /**
     * The app's state of one partition at the index it reports ({@code GET /understudy/snapshot}): the caller reads
     * {@code bytes} to the end and closes it. Empty when the app does not support snapshots ({@code 404} or
     * {@code 501}).
     */
    record AppSnapshot(long appliedIndex, InputStream bytes) implements java.io.Closeable {
        @Override
        public void close() throws IOException {
            bytes.close();
        }
    }

    /**
     * Asks the app for a snapshot of {@code partition}; blocking until its headers arrive. Empty when the app does not
     * support snapshots. This default: never supported.
     */
    default Optional<AppSnapshot> snapshot(int partition) throws IOException, InterruptedException {
        return Optional.empty();
    }

    /**
     * Replaces the app's state of {@code partition} with a snapshot at {@code index} ({@code PUT
     * /understudy/snapshot}), streaming {@code bytes} (read to the end, not closed); blocking. Throws unless the app
     * took it.
     */
    default void installSnapshot(int partition, long index, InputStream bytes)
            throws IOException, InterruptedException {
        throw new IOException("this app client cannot install snapshots");
    }

    /**
     * Tells the app its member's current role in a partition; blocking. Returns once the app took it (or does not
     * serve the call: {@code 404}); throws when it should be sent again.
     */
    void notifyRole(int partition, RoleNotice notice) throws IOException, InterruptedException;

    @Override
    void close();
}
