package io.understudy.sidecar.delivery;

import io.understudy.sidecar.log.Entry;
import java.io.IOException;
import java.util.List;

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
     * Tells the app its member's current role in a partition; blocking. Returns once the app took it (or does not
     * serve the call: {@code 404}); throws when it should be sent again.
     */
    void notifyRole(int partition, RoleNotice notice) throws IOException, InterruptedException;

    @Override
    void close();
}
