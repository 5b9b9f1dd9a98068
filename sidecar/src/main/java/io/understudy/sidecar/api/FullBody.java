package io.understudy.sidecar.api;

import io.undertow.io.Receiver;
import io.undertow.server.HttpServerExchange;
import java.util.Arrays;

/**
 * Reads a whole request body into one array with bulk copies, for the handlers that need all of it. Undertow's own
 * {@code Receiver.receiveFullBytes} (2.4) moves the body byte by byte ({@code ByteBuffer.get()} into a synchronized
 * {@code ByteArrayOutputStream.write(int)}) and copies it once more at the end: on a follower catching up, whose
 * append bodies are up to 2 MiB, that loop took three quarters of its CPU (scripts/catchup-bench.sh --profile). Here
 * the chunks come from {@code receivePartialBytes} and are copied whole into an array sized from the Content-Length
 * when there is one (within the exchange's entity limit), grown by doubling otherwise.
 *
 * <p>Limits are the exchange's: set {@code setMaxEntitySize} before {@link #receive}; a body over it goes to the
 * error callback, as with {@code receiveFullBytes}. Both callbacks run on the exchange's IO thread.
 */
public final class FullBody implements Receiver.PartialBytesCallback {
    private static final int FIRST_CHUNKED_CAPACITY = 16 * 1024;

    private final Receiver.FullBytesCallback done;
    private byte[] bytes;
    private int size;

    private FullBody(long declared, long limit, Receiver.FullBytesCallback done) {
        this.done = done;
        boolean presize = declared >= 0 && declared <= limit && declared < Integer.MAX_VALUE - 16;
        this.bytes = new byte[presize ? (int) declared : FIRST_CHUNKED_CAPACITY];
    }

    /** Reads the exchange's request body; {@code done} gets all of it, {@code error} any failure to read it. */
    public static void receive(
            HttpServerExchange exchange, Receiver.FullBytesCallback done, Receiver.ErrorCallback error) {
        long limit = exchange.getMaxEntitySize() > 0 ? exchange.getMaxEntitySize() : Integer.MAX_VALUE;
        FullBody body = new FullBody(exchange.getRequestContentLength(), limit, done);
        exchange.getRequestReceiver().receivePartialBytes(body, error);
    }

    @Override
    public void handle(HttpServerExchange exchange, byte[] chunk, boolean last) {
        if (size + chunk.length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size + chunk.length, 2 * bytes.length));
        }
        System.arraycopy(chunk, 0, bytes, size, chunk.length);
        size += chunk.length;
        if (last) done.handle(exchange, size == bytes.length ? bytes : Arrays.copyOf(bytes, size));
    }
}
