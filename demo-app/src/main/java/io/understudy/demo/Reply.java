package io.understudy.demo;

import java.nio.charset.StandardCharsets;

/** One HTTP answer: status, content type and body bytes. */
public record Reply(int status, String contentType, byte[] body) {

    public static Reply text(int status, String contentType, String text) {
        return new Reply(status, contentType, text.getBytes(StandardCharsets.UTF_8));
    }
}
