package io.understudy.sidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How {@code list} reads one member's {@code /v1/status}: roles, lags and each partition's state. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class GroupViewTest {
    private final ObjectMapper json = new ObjectMapper();

    private GroupView view(String partitions, String members) throws Exception {
        return GroupView.of(json.readTree("""
                {"member":"node-1","group":"g","version":"1.2.3","commit":"abc1234",
                 "partitions":[%s],"members":[%s]}
                """.formatted(partitions, members)));
    }

    private static String member(String id, long logEnd, long applied) {
        return """
                {"id":"%s","alive":true,"lag":0,"version":"1.2.3","appHealthy":true,
                 "partitions":[{"partition":0,"logEnd":%d,"appliedIndex":%d}]}""".formatted(id, logEnd, applied);
    }

    private static final String DOWN = "{\"id\":\"node-3\",\"alive\":false,\"lag\":null}";

    @Test
    void rolesAndLagsOfALeaderAReplicaACatchingUpAndADownMember() throws Exception {
        GroupView view = view(
                "{\"partition\":0,\"role\":\"leader\",\"leader\":\"node-1\",\"epoch\":4,\"logEnd\":10,"
                        + "\"commitIndex\":10,\"appliedIndex\":10,\"isr\":[\"node-1\",\"node-2\"]}",
                member("node-1", 10, 10) + "," + member("node-2", 10, 7) + "," + member("node-4", 3, 3) + "," + DOWN);

        GroupView.Partition p = view.partitions().get(0);

        assertEquals(
                List.of(
                        new GroupView.Replica("node-1", "leader", 10L, 0L, 10L, 0L),
                        new GroupView.Replica("node-2", "replica", 10L, 0L, 7L, 3L),
                        new GroupView.Replica("node-4", "catching-up", 3L, 7L, 3L, 7L),
                        new GroupView.Replica("node-3", "down", null, null, null, null)),
                p.replicas());
        assertEquals("UNDER_REPLICATED", p.state());
        assertNull(view.members().get(3).version());
    }

    @Test
    void aFailedPartitionSaysFailedWithItsReason() throws Exception {
        GroupView view = view(
                "{\"partition\":0,\"role\":\"follower\",\"leader\":\"node-2\",\"epoch\":4,\"logEnd\":10,"
                        + "\"commitIndex\":10,\"appliedIndex\":10,\"isr\":[\"node-2\"],\"failure\":\"fsync failed\"}",
                member("node-1", 10, 10) + "," + member("node-2", 10, 10));

        GroupView.Partition p = view.partitions().get(0);

        assertEquals("FAILED", p.state());
        assertEquals("fsync failed", p.failure());
    }

    @Test
    void aPartitionWithoutAConfirmedLeaderHasNoLeader() throws Exception {
        GroupView view = view(
                "{\"partition\":0,\"role\":\"follower\",\"leader\":null,\"epoch\":4,\"logEnd\":0,"
                        + "\"commitIndex\":0,\"appliedIndex\":0,\"isr\":[\"node-1\"]}",
                member("node-1", 0, 0));

        assertEquals("NO_LEADER", view.partitions().get(0).state());
    }
}
