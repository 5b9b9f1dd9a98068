package io.understudy.demo;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One HTTP answer: status, content type, body bytes and any further headers. */
public record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {

    public Reply(int status, String contentType, byte[] body) {
        this(status, contentType, body, Map.of());
    }

    public static Reply text(int status, String contentType, String text) {
        return new Reply(status, contentType, text.getBytes(StandardCharsets.UTF_8));
    }
}
