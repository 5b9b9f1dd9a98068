package io.understudy.sidecar.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach ZooKeeper.
 *
 * @param connect the ZooKeeper connect string ({@code host:port[,host:port...][/chroot]})
 * @param sessionTimeout the session timeout asked of ZooKeeper: how long a silent member keeps its ephemeral node
 * @param connectionTimeout how long to wait for a connection before giving up
 * @param heartbeatInterval how often the member znode's heartbeat data is refreshed
 */
public record ZooKeeperConfig(
        String connect, Duration sessionTimeout, Duration connectionTimeout, Duration heartbeatInterval) {

    public ZooKeeperConfig {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    }
}
