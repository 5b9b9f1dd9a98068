package io.understudy.sidecar.api;

import java.net.BindException;

/** A listener could not bind its address (most often: another process listens there). Neither listener runs. */
public final class ListenerBindException extends Exception {
    private final HttpApi.Listener listener;
    private final String address;

    ListenerBindException(HttpApi.Listener listener, String address, BindException cause) {
        super("cannot listen on " + address + ": " + cause.getMessage(), cause);
        this.listener = listener;
        this.address = address;
    }

    /** Which listener failed. */
    public HttpApi.Listener listener() {
        return listener;
    }

    /** The address it asked for, {@code host:port}. */
    public String address() {
        return address;
    }
}
