package io.understudy.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class DemoOptionsTest {

    @Test
    void parsesPortSidecarAndDefaultHost() throws Exception {
        DemoOptions options = DemoOptions.parse("--port", "8001", "--sidecar", "http://127.0.0.1:7001")
                .orElseThrow();

        assertEquals(new DemoOptions("127.0.0.1", 8001, URI.create("http://127.0.0.1:7001")), options);
    }

    @Test
    void acceptsEqualsFormAndHost() throws Exception {
        DemoOptions options = DemoOptions.parse("--sidecar=http://s:7001", "--port=0", "--host", "0.0.0.0")
                .orElseThrow();

        assertEquals("0.0.0.0", options.host());
        assertEquals(0, options.port());
    }

    @Test
    void helpWinsOverEverythingElse() throws Exception {
        assertTrue(DemoOptions.parse("--help").isEmpty());
        assertTrue(DemoOptions.parse("--port", "x", "--bogus", "-h").isEmpty());
    }

    @Test
    void refusesBadArgumentsWithAMessageNamingThem() {
        assertMessage("--port is required", "--sidecar", "http://h:1");
        assertMessage("--sidecar is required", "--port", "1");
        assertMessage("--port needs a number from 0 to 65535, got 'abc'", "--port", "abc");
        assertMessage("--port needs a number from 0 to 65535, got '70000'", "--port", "70000");
        assertMessage("--sidecar needs an http URL", "--port", "1", "--sidecar", "127.0.0.1:7001");
        assertMessage("--host needs a value", "--host");
        assertMessage("unknown argument '--verbose'", "--verbose");
    }

    private static void assertMessage(String expected, String... args) {
        DemoOptions.UsageException e = assertThrows(DemoOptions.UsageException.class, () -> DemoOptions.parse(args));
        assertTrue(e.getMessage().startsWith(expected), () -> "message was: " + e.getMessage());
    }
}
