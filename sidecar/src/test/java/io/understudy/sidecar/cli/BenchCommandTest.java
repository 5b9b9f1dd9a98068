package io.understudy.sidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BenchCommandTest {

    @Test
    void jsonPrintsTheClientsNoOpCeilingAndAVerdictBesideEveryWriteFigure() throws Exception {
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/v1/health", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        api.createContext("/v1/entries", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        api.start();
        try {
            StringWriter out = new StringWriter();
            int exit = new CommandLine(new BenchCommand())
                    .setOut(new PrintWriter(out))
                    .execute(
                            "--api",
                            "http://127.0.0.1:" + api.getAddress().getPort(),
                            "--writes",
                            "20",
                            "--rounds",
                            "1",
                            "--in-flight",
                            "1,4",
                            "--json");
            assertEquals(0, exit);
            JsonNode doc = new ObjectMapper().readTree(out.toString());
            JsonNode results = doc.get("results");
            assertEquals(4, results.size(), results.toString());
            assertEquals("client-no-op", results.get(0).get("target").asText());
            assertEquals(1, results.get(0).get("inFlight").asInt());
            assertEquals("understudy", results.get(1).get("target").asText());
            assertEquals(0, results.get(1).get("errors").asLong());
            assertEquals(4, results.get(3).get("inFlight").asInt());
            for (JsonNode write : new JsonNode[] {results.get(1), results.get(3)}) {
                String verdict = write.get("generator").asText();
                // The fake sidecar answers a write as fast as a no-op: never a figure of the sidecar.
                assertTrue(verdict.equals("CLIENT_BOUND"), write.toString());
                assertTrue(write.get("clientNoOpPerSecond").asDouble() > 0, write.toString());
            }
        } finally {
            api.stop(0);
        }
    }

    @Test
    void referenceOnlyMeasuresZooKeeperAndNeverCallsTheSidecar() throws Exception {
        try (TestingServer zk = new TestingServer(true)) {
            StringWriter out = new StringWriter();
            int exit = new CommandLine(new BenchCommand())
                    .setOut(new PrintWriter(out))
                    .execute(
                            "--api",
                            "http://127.0.0.1:1", // nothing listens there: any call to it would be an error
                            "--zookeeper",
                            zk.getConnectString(),
                            "--reference-only",
                            "--writes",
                            "20",
                            "--rounds",
                            "1",
                            "--in-flight",
                            "1,4",
                            "--json");
            assertEquals(0, exit, out.toString());
            JsonNode results = new ObjectMapper().readTree(out.toString()).get("results");
            assertEquals(2, results.size(), results.toString());
            for (JsonNode row : results) {
                assertEquals("zookeeper", row.get("target").asText());
                assertEquals(0, row.get("errors").asLong());
            }
        }
    }

    @Test
    void referenceOnlyWithoutZooKeeperIsAUsageError() {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new BenchCommand())
                .setErr(new PrintWriter(err))
                .execute("--reference-only", "--writes", "1");
        assertEquals(2, exit, err.toString());
    }
}
