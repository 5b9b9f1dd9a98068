package io.understudy.sidecar.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.undertow.Undertow;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link FullBody} over a real Undertow listener: whole bodies, however they arrive (one Content-Length, chunked,
 * empty), reach the callback byte for byte; a body over the exchange's entity limit reaches the error callback.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FullBodyIT {
    private static final long LIMIT = 4L << 20;

    private final HttpClient client = HttpClient.newHttpClient();
    private final BlockingQueue<IOException> errors = new LinkedBlockingQueue<>();
    private Undertow server;
    private URI uri;

    @BeforeEach
    void start() {
        server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setHandler(exchange -> {
                    exchange.setMaxEntitySize(LIMIT);
                    FullBody.receive(
                            exchange,
                            (ex, body) -> ex.getResponseSender().send(body.length + " " + crc(body)),
                            (ex, error) -> {
                                errors.add(error);
                                ex.setStatusCode(413);
                                ex.getResponseSender().send(error.getClass().getSimpleName());
                            });
                })
                .build();
        server.start();
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        uri = URI.create("http://127.0.0.1:" + port + "/");
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private static long crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return crc.getValue();
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private HttpResponse<String> post(HttpRequest.BodyPublisher body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBodyOfManyBuffersWithAContentLengthArrivesByteForByte() throws Exception {
        byte[] body = randomBytes(3 << 20);

        HttpResponse<String> response = post(HttpRequest.BodyPublishers.ofByteArray(body));

        assertEquals(200, response.statusCode());
        assertEquals(body.length + " " + crc(body), response.body());
    }

    @Test
    void aChunkedBodyWithoutContentLengthArrivesByteForByte() throws Exception {
        byte[] body = randomBytes((1 << 20) + 12345);

        HttpResponse<String> response =
                post(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

        assertEquals(200, response.statusCode());
        assertEquals(body.length + " " + crc(body), response.body());
    }

    @Test
    void anEmptyBodyArrivesAsAnEmptyArray() throws Exception {
        HttpResponse<String> response = post(HttpRequest.BodyPublishers.noBody());

        assertEquals(200, response.statusCode());
        assertEquals("0 " + crc(new byte[0]), response.body());
    }

    @Test
    void aBodyOverTheEntityLimitGoesToTheErrorCallback() throws Exception {
        HttpResponse<String> response = post(HttpRequest.BodyPublishers.ofByteArray(randomBytes((int) LIMIT + 1)));

        assertEquals(413, response.statusCode());
        assertNotNull(errors.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void aChunkedBodyOverTheEntityLimitGoesToTheErrorCallback() throws Exception {
        byte[] body = randomBytes((int) LIMIT + 1);

        try {
            post(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        } catch (IOException closed) {
            // Undertow closes the connection under a chunked body over the limit (as with receiveFullBytes)
        }

        assertNotNull(errors.poll(10, TimeUnit.SECONDS), "the error callback was called");
    }
}
