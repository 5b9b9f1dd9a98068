package io.understudy.sidecar.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.understudy.sidecar.coordination.ConnectionListener.Change;
import io.understudy.sidecar.coordination.ZooKeeperConnection.State;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ZooKeeperConnectionTest {
    @Test
    void stateFollowsTheLastConnectionChangeAndReconnectedReadsConnected() {
        ZooKeeperConnection connection = new ZooKeeperConnection();
        assertEquals(State.CONNECTING, connection.state());
        connection.connectionChanged(Change.CONNECTED);
        assertEquals("connected", connection.state().wireName());
        connection.connectionChanged(Change.SUSPENDED);
        assertEquals(State.SUSPENDED, connection.state());
        connection.connectionChanged(Change.LOST);
        assertEquals(State.LOST, connection.state());
        connection.connectionChanged(Change.RECONNECTED);
        assertEquals(State.CONNECTED, connection.state());
    }
}
