package io.understudy.sidecar.api;

/** The request itself is wrong (a missing or malformed parameter); answered with 400. */
public final class BadRequestException extends RuntimeException {
    public BadRequestException(String message) {
        super(message);
    }
}
