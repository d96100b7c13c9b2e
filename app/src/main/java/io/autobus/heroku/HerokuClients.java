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

    /** @param retries how often and how long a call is tried while Heroku fails (tests shorten the waits) */
    public static HerokuClients create(Settings settings, ObjectMapper json, HerokuRetries.Limits retries) {
        var okHttp = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(20))
                .callTimeout(Duration.ofSeconds(30))
                .build();
        return new HerokuClients(
                new PlatformApiClient(new HerokuHttp(okHttp, json, new HerokuRetries("Heroku's Platform API", retries)),
                        settings.herokuApiUrl()),
                new HerokuIdentityClient(new HerokuHttp(okHttp, json, new HerokuRetries("Heroku's OAuth server", retries)),
                        settings.herokuIdUrl(), settings.herokuOauthSecret()));
    }
}
