package io.autobus.heroku;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Heroku answered with an error. {@code status} is the HTTP status (0 when Heroku could not be
 * reached), {@code id} Heroku's error id such as {@code forbidden} or {@code invalid_grant}.
 */
public final class HerokuApiException extends RuntimeException {
    private static final Set<Integer> WORTH_ANOTHER_TRY = Set.of(429, 500, 502, 503, 504);

    private final int status;
    private final String id;
    private final transient Duration retryAfter;

    public HerokuApiException(int status, String id, String message) {
        this(status, id, message, null);
    }

    /** @param retryAfter how long Heroku asked us to wait before trying again, or null */
    HerokuApiException(int status, String id, String message, Duration retryAfter) {
        super(message);
        this.status = status;
        this.id = id;
        this.retryAfter = retryAfter;
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

    /**
     * Worth trying again: Heroku was unreachable, overloaded or rate limiting us ({@link HerokuRetries} already did).
     * Not a setting missing here, which status 0 also stands for.
     */
    public boolean transientFailure() {
        return status == 0 ? "unreachable".equals(id) : WORTH_ANOTHER_TRY.contains(status);
    }

    Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
