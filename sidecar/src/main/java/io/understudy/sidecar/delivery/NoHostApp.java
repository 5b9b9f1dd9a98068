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

    @Override
    public void notifyRole(int partition, RoleNotice notice) {}

    @Override
    public void close() {}
}
