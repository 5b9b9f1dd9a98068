package io.understudy.sidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** The operator's switchover, pause and resume commands against a loopback stand-in for a sidecar's local API. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SwitchoverCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicReference<String> asked = new AtomicReference<>();
    private HttpServer server;

    private String serve(int status, String body) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            asked.set(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    private int run(String... args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new CommandLine(new Main()).execute(args);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    @Test
    void aCompletedSwitchoverExitsZeroAndSaysWhoLeadsNow() throws Exception {
        String api = serve(200, "{\"partition\":0,\"from\":\"node-1\",\"to\":\"node-2\",\"epoch\":7}");

        int exit = run("switchover", "--api", api, "--partition", "0", "--to", "node-2", "--timeout-ms", "3000");

        assertEquals(0, exit, err.toString());
        assertEquals("POST /v1/switchover?partition=0&to=node-2&timeoutMs=3000", asked.get());
        assertEquals("partition 0: node-1 -> node-2, epoch 7", out.toString().trim());
    }

    @Test
    void aRefusedSwitchoverExitsOneWithTheSidecarsReasonOnOneLine() throws Exception {
        String api = serve(
                409,
                "{\"code\":\"TARGET_NOT_IN_SYNC\",\"message\":\"switchover of partition 0: node-3 is not in the ISR;"
                        + " wait until it has caught up\",\"outcome\":\"rejected\"}");

        int exit = run("switchover", "--api", api, "--partition", "0", "--to", "node-3");

        assertEquals(1, exit);
        String line = err.toString().trim();
        assertTrue(line.contains("node-3 is not in the ISR") && line.endsWith("(TARGET_NOT_IN_SYNC)"), line);
        assertEquals(1, line.lines().count(), line);
    }

    @Test
    void noSidecarAtTheApiExitsOneSayingWhatToCheck() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        int exit = run("switchover", "--api", "http://127.0.0.1:" + closedPort, "--partition", "0", "--to", "x");

        assertEquals(1, exit);
        assertTrue(err.toString().contains("check --api"), err.toString());
    }

    @Test
    void pauseAndResumeAnswerAsJsonWhenAsked() throws Exception {
        String api = serve(200, "{\"paused\":true}");

        assertEquals(0, run("pause", "--api", api, "--json"));
        assertEquals("POST /v1/pause", asked.get());
        assertEquals("{\"paused\":true}", out.toString().trim());
        assertEquals(0, run("resume", "--api", api));
        assertEquals("POST /v1/resume", asked.get());
    }
}
