package io.understudy.sidecar.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PartitionStateTest {
    private final PartitionState state =
            new PartitionState(3, "a", List.of(new IsrMember("a", "d1"), new IsrMember("b", "d2")), 0);

    @Test
    void isrMembershipNamesTheDataDirectoryToo() {
        assertTrue(state.inIsr("b", "d2"));
        assertFalse(state.inIsr("b", "another-disk"), "a member back with a new data dir is a new replica");
    }

    @Test
    void replacingAMemberKeepsOneEntryForIt() {
        PartitionState next = state.withIsrMember(new IsrMember("b", "d3")).withoutMembers(List.of("a"));

        assertEquals(List.of(new IsrMember("b", "d3")), next.isr());
        assertEquals(3, next.epoch());
    }

    @Test
    void theZnodeJsonRoundTrips() throws Exception {
        ObjectMapper json = new ObjectMapper();
        String text = json.writeValueAsString(state);

        assertEquals(state, json.readValue(text, PartitionState.class));
        assertTrue(text.contains("\"isr\":[{\"member\":\"a\",\"dataDirId\":\"d1\"}"), text);
    }

    @Test
    void aSwitchoverSuccessorBindsUntilItsDeadlineAndTheNextClaimEndsIt() throws Exception {
        PartitionState handing = state.withSuccessor("b", 5_000);

        assertEquals("b", handing.successorAt(4_999));
        assertEquals(null, handing.successorAt(5_000), "past its deadline it binds no one");
        assertEquals("b", handing.withIsrMember(new IsrMember("c", "d4")).successorAt(0), "ISR changes keep it");
        assertEquals(null, handing.ledBy("b", 4).successorAt(0), "the claim of the next epoch ends it");
        ObjectMapper json = new ObjectMapper();
        assertEquals(handing, json.readValue(json.writeValueAsString(handing), PartitionState.class));
    }
}
