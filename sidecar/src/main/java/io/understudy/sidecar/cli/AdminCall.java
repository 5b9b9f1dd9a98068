package io.understudy.sidecar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One administrative {@code POST} to a sidecar's local API, for the operator's commands: the answer as JSON, or a
 * one-line reason with what to do next.
 */
final class AdminCall {
    /** A sidecar's answer: its HTTP status and JSON body. */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status == 200;
        }

        /** The error answer in one line: message and code. */
        String reason() {
            String message = body.path("message").asText(body.path("error").asText(body.toString()));
            String code = body.path("code").asText("");
            return message + (code.isEmpty() ? "" : " (" + code + ")");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private AdminCall() {}

    /**
     * POSTs {@code pathAndQuery} to {@code api}, waiting at most {@code timeout}.
     *
     * @throws IOException when no sidecar answers there, with a message that says so
     */
    static Answer post(URI api, String pathAndQuery, Duration timeout) throws IOException, InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        HttpResponse<String> response;
        try {
            response = http.send(
                    HttpRequest.newBuilder(api.resolve(pathAndQuery))
                            .timeout(timeout)
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException(
                    "no sidecar answers at " + api + " (" + e + "); check --api and that the member runs");
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            body = JSON.createObjectNode().put("message", "HTTP " + response.statusCode() + ": " + response.body());
        }
        return new Answer(response.statusCode(), body);
    }
}
