package io.understudy.sidecar.api.peer;

import io.understudy.sidecar.api.ErrorCode;
import io.understudy.sidecar.api.Params;
import io.understudy.sidecar.api.Responses;
import io.understudy.sidecar.api.StatusException;
import io.understudy.sidecar.snapshot.SnapshotInfo;
import io.understudy.sidecar.snapshot.SnapshotStore;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /peer/v1/snapshot?partition=P}: streams this member's latest stored snapshot of the partition to a
 * follower that no longer matches the leader's log base, with its position and CRC-32C in {@link SnapshotHeaders}
 * (the follower checks them before storing it). 404 {@code NO_SNAPSHOT} when it stores none. Runs on a worker thread
 * (blocking file reads), never on an IO thread.
 */
public final class SnapshotHandler implements HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(SnapshotHandler.class);

    private final SnapshotStore store;
    private final int partitions;
    private final Responses responses;

    public SnapshotHandler(SnapshotStore store, int partitions, Responses responses) {
        this.store = store;
        this.partitions = partitions;
        this.responses = responses;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        int partition;
        Optional<SnapshotInfo> latest;
        try {
            partition = Params.requiredInt(exchange, "partition", 0);
            if (partition >= partitions) {
                throw new StatusException(
                        ErrorCode.UNKNOWN_PARTITION, "partition " + partition + " of " + partitions + " partitions");
            }
            latest = store.latest(partition);
            if (latest.isEmpty()) {
                throw new StatusException(ErrorCode.NO_SNAPSHOT, "this member stores no snapshot of p" + partition);
            }
        } catch (IOException | RuntimeException e) {
            responses.sendError(exchange, e);
            return;
        }
        SnapshotInfo snapshot = latest.get();
        exchange.startBlocking();
        exchange.setStatusCode(200);
        var headers = exchange.getResponseHeaders();
        headers.put(Headers.CONTENT_TYPE, "application/octet-stream");
        headers.put(Headers.CONTENT_LENGTH, snapshot.sizeBytes());
        headers.put(new HttpString(SnapshotHeaders.INDEX), snapshot.index());
        headers.put(new HttpString(SnapshotHeaders.EPOCH), snapshot.position().epoch());
        headers.put(new HttpString(SnapshotHeaders.CRC32C), snapshot.crc32c());
        try (InputStream in = store.open(snapshot);
                OutputStream out = exchange.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // The headers are gone: the follower sees a body cut short and checks fail there; say why here.
            log.warn("[p{}] sending the snapshot at {} failed: {}", partition, snapshot.position(), e.toString());
            exchange.getConnection().close();
        }
    }
}
