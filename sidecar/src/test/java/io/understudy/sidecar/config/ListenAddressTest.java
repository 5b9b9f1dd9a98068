package io.understudy.sidecar.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ListenAddressTest {

    @Test
    void parsesAndPrintsHostPort() {
        ListenAddress address = ListenAddress.parse("127.0.0.1:7001");

        assertEquals(new ListenAddress("127.0.0.1", 7001), address);
        assertEquals("127.0.0.1:7001", address.toString());
    }

    @Test
    void bracketsIpv6Hosts() {
        ListenAddress address = ListenAddress.parse("[::1]:7001");

        assertEquals("::1", address.host());
        assertEquals("[::1]:7001", address.toString());
    }

    @Test
    void refusesWhatIsNotHostPort() {
        for (String bad : new String[] {"7001", "host:", ":7001", "host:70000", "host:-1", "host:http", "::1:7001"}) {
            assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse(bad), bad);
        }
    }

    @Test
    void clashesOnTheSamePortOfTheSameOrAWildcardHost() {
        ListenAddress local = ListenAddress.parse("127.0.0.1:7001");

        assertTrue(local.clashesWith(ListenAddress.parse("127.0.0.1:7001")));
        assertTrue(local.clashesWith(ListenAddress.parse("0.0.0.0:7001")));
        assertFalse(local.clashesWith(ListenAddress.parse("127.0.0.1:7101")));
        assertFalse(local.clashesWith(ListenAddress.parse("10.0.0.5:7001")));
        assertFalse(
                ListenAddress.parse("127.0.0.1:0").clashesWith(ListenAddress.parse("127.0.0.1:0")),
                "port 0 picks a free port each time");
    }
}
