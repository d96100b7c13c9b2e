package io.autobus.heroku;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autobus.config.Settings;
import java.time.Duration;
import okhttp3.OkHttpClient;

/** Builds the Heroku clients over one shared connection pool. */
public record HerokuClients(PlatformApiClient platform, HerokuIdentityClient identity) {

    public static HerokuClients create(Settings settings, ObjectMapper json) {
        var okHttp = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(20))
                .callTimeout(Duration.ofSeconds(30))
                .build();
        var http = new HerokuHttp(okHttp, json);
        return new HerokuClients(
                new PlatformApiClient(http, settings.herokuApiUrl()),
                new HerokuIdentityClient(http, settings.herokuIdUrl(), settings.herokuOauthSecret()));
    }
}
