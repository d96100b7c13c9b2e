package io.autobus.dump;

/** A dump could not be made; the message is meant for the customer (no secrets in it). */
public final class DumpException extends RuntimeException {
    public DumpException(String message) {
        super(message);
    }

    public DumpException(String message, Throwable cause) {
        super(message, cause);
    }
}
