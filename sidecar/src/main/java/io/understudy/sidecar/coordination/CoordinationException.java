package io.understudy.sidecar.coordination;

/** ZooKeeper could not be asked, or answered something that makes it unsafe to go on. */
public class CoordinationException extends Exception {
    public CoordinationException(String message) {
        super(message);
    }

    public CoordinationException(String message, Throwable cause) {
        super(message, cause);
    }
}
