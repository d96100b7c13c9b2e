package io.autobus.api;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per credential: {@code capacity} requests at once, refilled at
 * {@code perMinute} a minute. Per process: with several web dynos the limit is per dyno.
 */
public final class RateLimiter {
    private final int capacity;
    private final double perMillisecond;
    private final Clock clock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(int capacity, int perMinute, Clock clock) {
        this.capacity = capacity;
        this.perMillisecond = perMinute / 60_000.0;
        this.clock = clock;
    }

    private static final class Bucket {
        double tokens;
        long at;
    }

    /** 0 when the request may go; otherwise the seconds to wait. */
    public long acquire(String key) {
        long now = clock.millis();
        var bucket = buckets.computeIfAbsent(key, k -> {
            var fresh = new Bucket();
            fresh.tokens = capacity;
            fresh.at = now;
            return fresh;
        });
        synchronized (bucket) {
            bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.at) * perMillisecond);
            bucket.at = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - bucket.tokens) / perMillisecond / 1000);
        }
    }
}
