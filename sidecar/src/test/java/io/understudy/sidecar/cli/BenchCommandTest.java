package io.understudy.sidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BenchCommandTest {

    @Test
    void jsonPrintsOneDocumentWithARowPerLevel() throws Exception {
        HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
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
            assertEquals(2, doc.get("results").size());
            assertEquals(4, doc.get("results").get(1).get("inFlight").asInt());
            assertEquals("understudy", doc.get("results").get(0).get("target").asText());
            assertEquals(0, doc.get("results").get(0).get("errors").asLong());
        } finally {
            api.stop(0);
        }
    }
}
