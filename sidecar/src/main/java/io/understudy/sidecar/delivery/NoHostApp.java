package io.understudy.sidecar.delivery;

import io.understudy.sidecar.log.Entry;
import java.util.List;

/** For a sidecar configured without {@code app.url}: every committed entry counts as applied. */
public final class NoHostApp implements HostAppClient {
    @Override
    public Applied apply(int partition, List<Entry> entries) {
        return Applied.through(entries.get(entries.size() - 1).index());
    }

    @Override
    public java.util.OptionalLong position(int partition) {
        return java.util.OptionalLong.empty();
    }

    /** No app, no state: a snapshot installs into nothing (delivery goes on after it, as with an app). */
    @Override
    public void installSnapshot(int partition, long index, java.io.InputStream bytes) {}

    @Override
    public void notifyRole(int partition, RoleNotice notice) {}

    @Override
    public void close() {}
}
