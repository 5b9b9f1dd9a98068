package io.understudy.sidecar.cli;

/** A command that cannot do its job; the message is for the operator as it is and says what to do next. */
final class CommandFailure extends Exception {
    private static final long serialVersionUID = 1L;

    CommandFailure(String message) {
        super(message);
    }
}
