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
    private final com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();

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

    /**
     * Subscribes the add-on to its app's releases ({@code POST /addons/{id}/webhooks}, partner token): Heroku then
     * delivers {@code api:release} events to {@code url}, retrying until answered ({@code sync}), with the
     * {@code authorization} value and signed with {@code secret}. A subscription to the same URL that exists already
     * (an earlier attempt that was answered but not recorded) is taken as it is. Returns its id.
     */
    public String subscribeToReleases(String partnerToken, UUID addonId, String url, String secret, String authorization) {
        var body = json.createObjectNode();
        body.putArray("include").add("api:release");
        body.put("level", "sync");
        body.put("url", url);
        body.put("secret", secret);
        body.put("authorization", authorization);
        try {
            return http.call(request(partnerToken, "addons", addonId.toString(), "webhooks")
                    .post(okhttp3.RequestBody.create(body.toString(), okhttp3.MediaType.get("application/json"))).build())
                    .path("id").asText();
        } catch (HerokuApiException e) {
            if (e.status() != 409 && e.status() != 422) {
                throw e;
            }
            for (JsonNode webhook : http.call(request(partnerToken, "addons", addonId.toString(), "webhooks").get().build())) {
                if (url.equals(webhook.path("url").asText())) {
                    return webhook.path("id").asText();
                }
            }
            throw e;
        }
    }

    /** The app's newest release ({@code GET /apps/{app}/releases}, newest first, one item); empty when it has none. */
    public Optional<io.autobus.heroku.Release> latestRelease(String token, String app) {
        var url = baseUrl.newBuilder().addPathSegment("apps").addPathSegment(app).addPathSegment("releases").build();
        JsonNode releases = http.call(new Request.Builder().url(url)
                .header("Accept", "application/vnd.heroku+json; version=3")
                .header("Authorization", "Bearer " + token)
                .header("User-Agent", "autobus")
                .header("Range", "version ..; order=desc, max=1")
                .get().build());
        if (!releases.isArray() || releases.isEmpty()) {
            return Optional.empty();
        }
        JsonNode release = releases.get(0);
        String description = release.path("description").isTextual() ? release.path("description").asText() : null;
        String status = release.path("status").asText("succeeded");
        return Optional.of(new io.autobus.heroku.Release(release.path("version").asInt(),
                status.equals("pending") || status.equals("failed") ? status : "succeeded", description,
                io.autobus.heroku.Release.commitOf(description), java.time.Instant.parse(release.path("created_at").asText())));
    }

    /** {@code DELETE /addons/{id}/webhooks/{webhook}}: the add-on's subscription removed. */
    public void unsubscribe(String partnerToken, UUID addonId, String webhookId) {
        http.call(request(partnerToken, "addons", addonId.toString(), "webhooks", webhookId).delete().build());
    }

    private JsonNode get(String token, String... segments) {
        return http.call(request(token, segments).get().build());
    }

    private Request.Builder request(String token, String... segments) {
        var url = baseUrl.newBuilder();
        for (String segment : segments) {
            url.addPathSegment(segment);
        }
        return new Request.Builder()
                .url(url.build())
                .header("Accept", "application/vnd.heroku+json; version=3")
                .header("Authorization", "Bearer " + token)
                .header("User-Agent", "autobus");
    }
}
