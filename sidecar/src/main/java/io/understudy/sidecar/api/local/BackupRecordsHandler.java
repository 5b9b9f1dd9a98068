package io.understudy.sidecar.api.local;

import io.understudy.sidecar.api.BadRequestException;
import io.understudy.sidecar.api.ErrorCode;
import io.understudy.sidecar.api.Params;
import io.understudy.sidecar.api.StatusException;
import io.understudy.sidecar.log.RecordBatch;
import io.understudy.sidecar.replication.PartitionReplica;
import io.understudy.sidecar.replication.ReplicaSet;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * {@code GET /v1/backup/records?partition=P&from=F&to=T}: committed records of P from F on, at most up to T (which
 * must not pass the commit index this member knows), as stored ({@code RecordCodec}, each with its CRC-32C), at most
 * {@link #CHUNK_BYTES} per answer (at least one record); header {@code Understudy-Record-Count}. The {@code backup}
 * command asks again from where an answer ended. {@code BACKUP_SOURCE_MOVED} when F is no longer held (the log was
 * trimmed past it). Blocks: runs {@link io.understudy.sidecar.api.OnWorker}.
 */
public final class BackupRecordsHandler implements HttpHandler {
    /** Record bytes in one answer. */
    static final long CHUNK_BYTES = 4L << 20;

    static final HttpString RECORD_COUNT = new HttpString("Understudy-Record-Count");

    private final ReplicaSet replicas;

    public BackupRecordsHandler(ReplicaSet replicas) {
        this.replicas = replicas;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws IOException {
        int partition = Params.requiredInt(exchange, "partition", 0);
        long from = Params.requiredLong(exchange, "from", 1);
        long to = Params.requiredLong(exchange, "to", from);
        PartitionReplica replica = replicas.replica(partition);
        long commit = replica.commitIndex();
        if (to > commit) {
            throw new BadRequestException("index " + to + " of partition " + partition
                    + " is beyond the commit index this member knows (" + commit + ")");
        }
        long base = replica.log().base().index();
        if (from <= base) {
            throw new StatusException(
                    ErrorCode.BACKUP_SOURCE_MOVED,
                    "partition " + partition + " holds entries only after index " + base + " now, not from " + from
                            + ": take the backup again");
        }
        long entries = to - from + 1;
        RecordBatch batch = replica.log().readRecords(from, (int) Math.min(entries, Integer.MAX_VALUE), CHUNK_BYTES);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/octet-stream");
        exchange.getResponseHeaders().put(RECORD_COUNT, batch.count());
        exchange.getResponseSender().send(ByteBuffer.wrap(batch.bytes()));
    }
}
