package io.autobus.restore;

/** A restore that failed, with the words to show the customer (the tool's own, where it spoke). */
public final class RestoreException extends RuntimeException {
    public RestoreException(String message) {
        super(message);
    }

    public RestoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
