package io.understudy.demo;

import io.undertow.Undertow;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A stand-in for the sidecar's local API: records each {@code POST /v1/entries} and answers as told. */
final class FakeSidecar implements AutoCloseable {

    /** One write the app sent. {@code durability} and {@code idempotencyKey} are null when the app left them out. */
    record Write(String key, String durability, String contentType, byte[] body, String idempotencyKey) {}

    private final BlockingQueue<Write> writes = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> redeliveries = new LinkedBlockingQueue<>();
    private final Undertow undertow;
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean hang;
    private volatile int status = 200;
    private volatile String answer = "{\"partition\":0,\"epoch\":3,\"index\":17,\"leader\":\"node-2\"}";

    FakeSidecar() {
        undertow = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setHandler(new BlockingHandler(exchange -> {
                    if (exchange.getRequestPath().equals("/v1/redeliver")) {
                        redeliveries.add(exchange.getRequestMethod() + " " + exchange.getRequestPath());
                        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                        exchange.getOutputStream().write("{\"partitions\":{\"0\":0}}".getBytes(StandardCharsets.UTF_8));
                        return;
                    }
                    if (!exchange.getRequestPath().equals("/v1/entries")) {
                        exchange.setStatusCode(404);
                        return;
                    }
                    var params = exchange.getQueryParameters();
                    writes.add(new Write(
                            params.containsKey("key") ? params.get("key").getFirst() : null,
                            params.containsKey("durability")
                                    ? params.get("durability").getFirst()
                                    : null,
                            exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE),
                            exchange.getInputStream().readAllBytes(),
                            exchange.getRequestHeaders().getFirst("Idempotency-Key")));
                    if (hang) {
                        release.await(30, TimeUnit.SECONDS);
                    }
                    exchange.setStatusCode(status);
                    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                    exchange.getOutputStream().write(answer.getBytes(StandardCharsets.UTF_8));
                }))
                .build();
        undertow.start();
    }

    URI url() {
        int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        return URI.create("http://127.0.0.1:" + port);
    }

    void answer(int status, String body) {
        this.status = status;
        this.answer = body;
    }

    /** From now on, hold every write without answering until {@link #close()}. */
    void hang() {
        hang = true;
    }

    /** The next write the app sent, waiting up to five seconds for it. */
    Write nextWrite() throws InterruptedException {
        Write write = writes.poll(5, TimeUnit.SECONDS);
        if (write == null) {
            throw new AssertionError("the app sent no write to the sidecar");
        }
        return write;
    }

    /** The next call to {@code /v1/redeliver} ("METHOD /v1/redeliver"), waiting up to five seconds; null if none. */
    String nextRedelivery() throws InterruptedException {
        return redeliveries.poll(5, TimeUnit.SECONDS);
    }

    boolean noWrites() {
        return writes.isEmpty();
    }

    @Override
    public void close() {
        release.countDown();
        undertow.stop();
    }
}
