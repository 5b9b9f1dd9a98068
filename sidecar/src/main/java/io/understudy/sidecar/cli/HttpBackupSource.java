package io.understudy.sidecar.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.understudy.sidecar.backup.BackupFailedException;
import io.understudy.sidecar.backup.BackupOffer;
import io.understudy.sidecar.backup.BackupSource;
import io.understudy.sidecar.log.CorruptRecordException;
import io.understudy.sidecar.log.RecordBatch;
import io.understudy.sidecar.log.RecordCodec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A member's local API as the source of a backup: {@code GET /v1/backup}, {@code /v1/backup/snapshot} and
 * {@code /v1/backup/records}.
 */
final class HttpBackupSource implements BackupSource {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final URI api;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final ObjectMapper json =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    HttpBackupSource(URI api) {
        this.api = api;
    }

    @Override
    public BackupOffer offer() throws IOException, InterruptedException {
        return json.readValue(get("/v1/backup").body().readAllBytes(), BackupOffer.class);
    }

    @Override
    public InputStream snapshot(int partition, long index) throws IOException, InterruptedException {
        return get("/v1/backup/snapshot?partition=" + partition + "&index=" + index)
                .body();
    }

    @Override
    public RecordBatch records(int partition, long fromIndex, long toIndex) throws IOException, InterruptedException {
        byte[] bytes = get("/v1/backup/records?partition=" + partition + "&from=" + fromIndex + "&to=" + toIndex)
                .body()
                .readAllBytes();
        try {
            return RecordBatch.decoded(bytes, RecordCodec.decodeAll(ByteBuffer.wrap(bytes), partition));
        } catch (CorruptRecordException e) {
            throw new BackupFailedException("records of partition " + partition + " from index " + fromIndex
                    + " arrived damaged (" + e.getMessage() + "); run the backup again");
        }
    }

    private HttpResponse<InputStream> get(String path) throws IOException, InterruptedException {
        HttpResponse<InputStream> response;
        try {
            response = http.send(
                    HttpRequest.newBuilder(api.resolve(path)).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new BackupFailedException(
                    "no sidecar answers at " + api + " (" + e + "); check --api and that the member runs");
        }
        if (response.statusCode() != 200) {
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            String message = body;
            try {
                message = json.readTree(body).path("message").asText(body);
            } catch (IOException e) {
                // not JSON: the body as it is
            }
            throw new BackupFailedException(api + " answered " + response.statusCode() + " to " + path + ": " + message
                    + (response.statusCode() == 404 ? " (is --api a member's local API, of this version?)" : ""));
        }
        return response;
    }
}
