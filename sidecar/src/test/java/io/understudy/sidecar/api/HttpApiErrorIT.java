package io.understudy.sidecar.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An Error while answering reaches the fatal handler and the client still gets a coded answer, not a bare 500. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HttpApiErrorIT {
    private final ObjectMapper json = new ObjectMapper();
    private final BlockingQueue<Throwable> fatal = new ArrayBlockingQueue<>(4);
    private final Responses responses = new Responses(json, new ErrorMapper(fatal::add));
    private final HttpClient http = HttpClient.newHttpClient();
    private HttpApi api;

    @AfterEach
    void close() {
        if (api != null) api.close();
    }

    private HttpResponse<String> getFrom(HttpHandler status) throws Exception {
        HttpHandler none = exchange -> responses.send(exchange, 200, "{}");
        api = new HttpApi(
                "127.0.0.1",
                0,
                new HttpApi.LocalHandlers(
                        none, none, status, none, none, none, none, none, none, none, none, none, none, none, none,
                        none, none, none, none, none),
                "127.0.0.1",
                0,
                new HttpApi.PeerHandlers(none, none, none, none, none, none),
                next -> next,
                responses);
        api.start();
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.localPort() + "/v1/status"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anErrorThrownByAHandlerIsFatalAndAnsweredAsInternal() throws Exception {
        HttpResponse<String> answer = getFrom(exchange -> {
            throw new OutOfMemoryError("simulated");
        });

        assertEquals(500, answer.statusCode());
        JsonNode body = json.readTree(answer.body());
        assertEquals("INTERNAL", body.path("code").asText(), answer.body());
        assertInstanceOf(OutOfMemoryError.class, fatal.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void anErrorWhileBuildingAnAnswerFromAFutureIsFatalAndStillAnswered() throws Exception {
        HttpResponse<String> answer =
                getFrom(exchange -> responses.sendWhenDone(exchange, CompletableFuture.completedFuture("x"), result -> {
                    throw new OutOfMemoryError("simulated while encoding");
                }));

        assertEquals(500, answer.statusCode());
        assertEquals("INTERNAL", json.readTree(answer.body()).path("code").asText(), answer.body());
        assertInstanceOf(OutOfMemoryError.class, fatal.poll(5, TimeUnit.SECONDS));
    }
}
