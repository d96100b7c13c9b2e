package io.autobus.heroku;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autobus.config.Settings;
import java.time.Duration;
import okhttp3.OkHttpClient;

/** Builds the Heroku clients over one shared connection pool, each service with its own retries and rate limit. */
public record HerokuClients(PlatformApiClient platform, HerokuIdentityClient identity) {

    public static HerokuClients create(Settings settings, ObjectMapper json) {
        return create(settings, json, HerokuRetries.Limits.DEFAULT);
    }

    /** @param retries how often and how long a call is tried while Heroku fails ({@link HerokuRetries.Limits#WHILE_ASKED}; tests shorten the waits) */
    public static HerokuClients create(Settings settings, ObjectMapper json, HerokuRetries.Limits retries) {
        var okHttp = new OkHttpClient.Builder()
                .connectTimeout(min(Duration.ofSeconds(5), retries.perTry()))
                .readTimeout(min(Duration.ofSeconds(20), retries.perTry()))
                .callTimeout(retries.perTry())
                .build();
        return new HerokuClients(
                new PlatformApiClient(new HerokuHttp(okHttp, json, new HerokuRetries("Heroku's Platform API", retries)),
                        settings.herokuApiUrl()),
                new HerokuIdentityClient(new HerokuHttp(okHttp, json, new HerokuRetries("Heroku's OAuth server", retries)),
                        settings.herokuIdUrl(), settings.herokuOauthSecret()));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
