package io.autobus.heroku;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Optional;
import okhttp3.FormBody;
import okhttp3.Request;

/** Heroku's OAuth server: turns the provisioning grant into tokens, and refreshes them. */
public final class HerokuIdentityClient {
    private final HerokuHttp http;
    private final URI baseUrl;
    private final Optional<String> clientSecret;

    HerokuIdentityClient(HerokuHttp http, URI baseUrl, Optional<String> clientSecret) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.clientSecret = clientSecret;
    }

    /** Tokens for one add-on; the access token lives {@code expiresInSeconds}. */
    public record TokenGrant(String accessToken, String refreshToken, long expiresInSeconds) {
        @Override
        public String toString() {
            return "TokenGrant[expiresInSeconds=" + expiresInSeconds + "]";
        }
    }

    public TokenGrant exchangeGrant(String code) {
        return token(new FormBody.Builder()
                .add("grant_type", "authorization_code")
                .add("code", code)
                .add("client_secret", secret()));
    }

    public TokenGrant refresh(String refreshToken) {
        return token(new FormBody.Builder()
                .add("grant_type", "refresh_token")
                .add("refresh_token", refreshToken)
                .add("client_secret", secret()));
    }

    private TokenGrant token(FormBody.Builder form) {
        JsonNode body = http.call(new Request.Builder()
                .url(baseUrl.resolve("/oauth/token").toString())
                .header("Accept", "application/json")
                .post(form.build())
                .build());
        String accessToken = body.path("access_token").asText("");
        if (accessToken.isEmpty()) {
            throw new HerokuApiException(502, "bad_response", "Heroku's token answer holds no access_token");
        }
        return new TokenGrant(accessToken, body.path("refresh_token").asText(""), body.path("expires_in").asLong(28800));
    }

    private String secret() {
        return clientSecret.orElseThrow(() -> new HerokuApiException(0, "not_configured",
                "HEROKU_OAUTH_SECRET is not set, so the provisioning grant cannot be exchanged"));
    }
}
