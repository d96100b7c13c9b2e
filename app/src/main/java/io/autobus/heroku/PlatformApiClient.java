package io.autobus.heroku;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import okhttp3.HttpUrl;
import okhttp3.Request;

/** The few Heroku Platform API calls Autobus makes. Tokens are passed per call: partner token or our own key. */
public final class PlatformApiClient {
    private final HerokuHttp http;
    private final HttpUrl baseUrl;

    PlatformApiClient(HerokuHttp http, URI baseUrl) {
        this.http = http;
        this.baseUrl = HttpUrl.get(baseUrl.toString());
    }

    /** The app an add-on is attached to. */
    public record AppRef(UUID id, String name) {
    }

    /** {@code GET /addons/{id}} with the add-on's partner token. */
    public AppRef addonApp(String partnerToken, UUID addonId) {
        JsonNode app = get(partnerToken, "addons", addonId.toString()).path("app");
        return new AppRef(UUID.fromString(app.path("id").asText()), app.path("name").asText(null));
    }

    /** The e-mail of the app's owner, from {@code GET /apps/{app}/collaborators}; empty for team-owned apps. */
    public Optional<String> ownerEmail(String token, String app) {
        for (JsonNode collaborator : get(token, "apps", app, "collaborators")) {
            if ("owner".equals(collaborator.path("role").asText())) {
                return Optional.ofNullable(collaborator.path("user").path("email").asText(null));
            }
        }
        return Optional.empty();
    }

    /** {@code GET /apps/{app}/config-vars}: needs a token of an account that collaborates on the app. */
    public Map<String, String> configVars(String token, String app) {
        var vars = new LinkedHashMap<String, String>();
        get(token, "apps", app, "config-vars").properties().forEach(e -> {
            if (!e.getValue().isNull()) {
                vars.put(e.getKey(), e.getValue().asText());
            }
        });
        return vars;
    }

    private JsonNode get(String token, String... segments) {
        var url = baseUrl.newBuilder();
        for (String segment : segments) {
            url.addPathSegment(segment);
        }
        return http.call(new Request.Builder()
                .url(url.build())
                .header("Accept", "application/vnd.heroku+json; version=3")
                .header("Authorization", "Bearer " + token)
                .header("User-Agent", "autobus")
                .get()
                .build());
    }
}
