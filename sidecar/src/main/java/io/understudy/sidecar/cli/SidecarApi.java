package io.understudy.sidecar.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * A member's local API as the operator commands call it: one GET answering JSON, or a {@link CommandFailure}
 * whose message says what went wrong and what to check next.
 */
final class SidecarApi {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final URI api;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    SidecarApi(URI api) {
        this.api = api;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** GETs {@code path} and answers its JSON body; anything but a 200 with JSON is a {@link CommandFailure}. */
    JsonNode get(String path) throws CommandFailure, InterruptedException {
        URI uri = api.resolve(path);
        HttpResponse<String> response;
        try {
            response = http.send(
                    HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new CommandFailure("cannot reach " + api + ": is the sidecar running? check --api (the member's"
                    + " api.listen address)");
        } catch (HttpTimeoutException e) {
            throw new CommandFailure(api + " did not answer " + path + " within " + REQUEST_TIMEOUT.toSeconds()
                    + " s: the sidecar may be overloaded or paused; try again or check its log");
        } catch (IOException | IllegalArgumentException e) {
            throw new CommandFailure("cannot call " + uri + ": " + e.getMessage() + ": check --api");
        }
        if (response.statusCode() != 200) {
            throw new CommandFailure(api + " answered " + response.statusCode() + " to " + path + ": "
                    + oneLine(response.body()) + ": check --api names a member's local API (api.listen)");
        }
        try {
            return json.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new CommandFailure(api + " did not answer JSON to " + path
                    + ": is --api the member's local API (api.listen), not its peer port or the app?");
        }
    }

    private static String oneLine(String body) {
        String flat = body.replaceAll("\\s+", " ").trim();
        return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
    }
}
