package io.autobus.heroku;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Tries a call to one Heroku service again while Heroku is unreachable, overloaded or rate limiting us
 * ({@link HerokuApiException#transientFailure()}): after an exponential, jittered wait, or as long as Heroku's
 * {@code Retry-After} asks when that is longer; at most {@code maxAttempts} tries, and no wait that would end later
 * than {@code giveUpAfter} from the first. Once Heroku says our rate limit is spent ({@code RateLimit-Remaining: 0}),
 * no call to the service starts before it has granted one more request. Other failures (401, 403, 404, 422...) are
 * thrown at once. What is thrown after the last try names the service, Heroku's answer and how often and how long it
 * was tried.
 * <p>
 * Every call Autobus makes to Heroku is safe to repeat: GETs; the webhook subscription, whose repeat Heroku answers
 * with 409/422 that {@link PlatformApiClient} takes as done; and the token requests. A refresh token can be used
 * again; a grant code cannot, but a try whose answer was lost has spent it whether or not we try again, so trying
 * again loses nothing and saves the exchange when the code was never received.
 */
public final class HerokuRetries {
    private final String service;
    private final Limits limits;
    private final RetryPolicy<Object> policy;
    private final AtomicLong rateLimitedUntil = new AtomicLong(System.nanoTime());

    /**
     * @param maxAttempts tries in all, the first included
     * @param firstWait   the wait after the first failed try; it doubles after each, up to {@code longestWait}
     * @param giveUpAfter no try starts later than this after the first (Retry-After included)
     * @param refill      how long Heroku takes to grant one more request once the rate limit is spent
     * @param perTry      the longest one try may take, connecting and reading included
     */
    public record Limits(int maxAttempts, Duration firstWait, Duration longestWait, Duration giveUpAfter, Duration refill,
                         Duration perTry) {
        /**
         * For the jobs: waits of up to 1, 2 and 4 s (jittered): a Heroku hiccup is ridden out in seconds, an outage given up
         * on within a minute. Heroku grants about 75 requests a minute back once its 4,500 an hour are spent.
         */
        public static final Limits DEFAULT = new Limits(4, Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofSeconds(60),
                Duration.ofSeconds(1), Duration.ofSeconds(30));

        /**
         * For calls made while someone waits for our answer: Heroku's partner API (deprovisioning, which Heroku gives 30 s
         * and tries again), or a browser opening the dashboard. One more try after half a second, and all within 10 s.
         */
        public static final Limits WHILE_ASKED = new Limits(2, Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(5),
                Duration.ofSeconds(1), Duration.ofSeconds(5));
    }

    /** @param service the service as the owner reads it in a failure, e.g. "Heroku's Platform API" */
    HerokuRetries(String service, Limits limits) {
        this.service = service;
        this.limits = limits;
        this.policy = RetryPolicy.builder()
                .handle(TryAgain.class)
                .withDelayFn(context -> context.<TryAgain>getLastException().wait)
                .withMaxAttempts(limits.maxAttempts())
                .build();
    }

    /** A failed try that is to be tried again after {@code wait}. */
    private static final class TryAgain extends RuntimeException {
        private final transient Duration wait;

        TryAgain(Duration wait, HerokuApiException failure) {
            super(failure.getMessage(), failure, false, false);
            this.wait = wait;
        }
    }

    <T> T call(Supplier<T> attempt) {
        return Failsafe.with(policy).get(context -> {
            try {
                awaitRateLimit();
                return attempt.get();
            } catch (HerokuApiException e) {
                throw e.transientFailure() ? tryAgainOrGiveUp(e, context.getAttemptCount() + 1, context.getElapsedTime()) : e;
            }
        });
    }

    /** After {@code tries} that failed within {@code elapsed}: another try after a wait, or the failure that says we gave up. */
    private RuntimeException tryAgainOrGiveUp(HerokuApiException failure, int tries, Duration elapsed) {
        if (tries >= limits.maxAttempts()) {
            return givenUp(failure, tries, elapsed, "");
        }
        Duration wait = waitAfter(tries, failure);
        if (elapsed.plus(wait).compareTo(limits.giveUpAfter()) > 0) {
            boolean herokuAsked = failure.retryAfter().filter(wait::equals).isPresent();
            return givenUp(failure, tries, elapsed, herokuAsked ? ", asking to wait " + seconds(wait) : "");
        }
        return new TryAgain(wait, failure);
    }

    /** Heroku answered {@code RateLimit-Remaining: 0}: the next call waits for its refill. */
    void rateLimitSpent() {
        rateLimitedUntil.set(System.nanoTime() + limits.refill().toNanos());
    }

    private void awaitRateLimit() {
        long wait = rateLimitedUntil.get() - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HerokuApiException(0, "interrupted", service + " was not called: the worker is stopping");
            }
        }
    }

    /** Exponential with jitter (so workers that failed together do not come back together), but never less than Heroku asks. */
    private Duration waitAfter(int tries, HerokuApiException failure) {
        long backoff = Math.min(limits.longestWait().toMillis(), limits.firstWait().toMillis() << Math.min(tries - 1, 20));
        long jittered = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
        Duration wait = Duration.ofMillis(jittered);
        return failure.retryAfter().filter(asked -> asked.compareTo(wait) > 0).orElse(wait);
    }

    private HerokuApiException givenUp(HerokuApiException last, int tries, Duration elapsed, String asked) {
        String answer = last.status() == 0 ? "could not be reached" : "answered " + last.status() + " " + reason(last.status());
        String tried = tries == 1 ? "" : " " + tries + " times over " + seconds(elapsed);
        String said = last.getMessage().replaceAll("\\s+", " ");
        String detail = said.equals(reason(last.status())) ? "" : " (" + said + ")";
        return new HerokuApiException(last.status(), last.id(), service + " " + answer + tried + asked + detail);
    }

    private static String reason(int status) {
        return switch (status) {
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
    }

    private static String seconds(Duration elapsed) {
        double seconds = elapsed.toMillis() / 1000.0;
        return String.format(Locale.ROOT, seconds < 10 ? "%.1f s" : "%.0f s", seconds);
    }
}
