package io.autobus.heroku;

/**
 * Heroku answered with an error. {@code status} is the HTTP status (0 when Heroku could not be
 * reached), {@code id} Heroku's error id such as {@code forbidden} or {@code invalid_grant}.
 */
public final class HerokuApiException extends RuntimeException {
    private final int status;
    private final String id;

    public HerokuApiException(int status, String id, String message) {
        super(message);
        this.status = status;
        this.id = id;
    }

    public int status() {
        return status;
    }

    public String id() {
        return id;
    }

    /** Heroku refuses us access to this resource: we are not (or no longer) allowed to read it. */
    public boolean accessDenied() {
        return status == 403 || status == 404;
    }

    /** Worth trying again later: Heroku was unreachable, overloaded or rate limiting us. */
    public boolean transientFailure() {
        return status == 0 || status == 429 || status >= 500;
    }
}
