package io.autobus.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autobus.crypto.Tokens;
import io.autobus.heroku.Release;
import io.autobus.release.ReleaseRepository;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /heroku/webhooks?addon=<id>}: Heroku's deliveries of the add-on's app's releases
 * ({@code api:release}). Believed only when both the {@code Authorization} value and the
 * {@code Heroku-Webhook-Hmac-SHA256} signature (base64 HMAC-SHA256 of the raw body with the
 * subscription's secret) are the add-on's, compared in constant time before the body is parsed;
 * 401 otherwise, the same answer for an unknown add-on. A delivery id seen before is answered
 * 200 and not applied again (Heroku delivers at least once); other resources are ignored with 200.
 * The body is bounded by the service's request limit.
 */
public final class ReleaseWebhooks {
    private final ReleaseRepository releases;
    private final AfterRelease afterRelease;
    private final ObjectMapper json;
    private final Clock clock;

    /** What follows a release that succeeded (snapshots, when the add-on asked for them). */
    public interface AfterRelease {
        void succeeded(UUID addonId, int version);
    }

    public ReleaseWebhooks(ReleaseRepository releases, AfterRelease afterRelease, ObjectMapper json, Clock clock) {
        this.releases = releases;
        this.afterRelease = afterRelease;
        this.json = json;
        this.clock = clock;
    }

    public void receive(Context ctx) {
        byte[] body = ctx.bodyAsBytes();
        UUID addonId = addon(ctx.queryParam("addon"));
        var credentials = addonId == null ? null : releases.stored(addonId).orElse(null);
        String authorization = String.valueOf(ctx.header("Authorization"));
        String signature = String.valueOf(ctx.header("Heroku-Webhook-Hmac-SHA256"));
        // Both compares always run, so the answer's timing does not tell which part was wrong.
        boolean authorized = Tokens.constantTimeEquals(authorization, credentials == null ? "" : credentials.authorization());
        boolean signed = Tokens.constantTimeEquals(signature, credentials == null ? "" : hmac(credentials.secret(), body));
        if (credentials == null || !(authorized & signed)) {
            throw new UnauthorizedResponse("This delivery is not signed for an add-on of this service.");
        }
        JsonNode event;
        try {
            event = json.readTree(body);
        } catch (IOException e) {
            throw new BadRequestResponse("The delivery is not JSON.");
        }
        String deliveryId = event.path("webhook_metadata").path("delivery").path("id").asText(String.valueOf(ctx.header("Heroku-Webhook-Id")));
        if (deliveryId.isBlank() || deliveryId.equals("null") || deliveryId.length() > 64) {
            throw new BadRequestResponse("The delivery has no id.");
        }
        Instant now = clock.instant();
        if (releases.delivered(deliveryId)) {
            ctx.json(Map.of("message", "This delivery was received before."));
            return;
        }
        String message = apply(addonId, event, now);
        // Recorded once applied: a delivery that failed half-way is applied again when Heroku retries it.
        releases.firstDelivery(deliveryId, addonId, now);
        ctx.json(Map.of("message", message));
    }

    private String apply(UUID addonId, JsonNode event, Instant now) {
        if (!"release".equals(event.path("resource").asText())) {
            return "Ignored: only releases are kept.";
        }
        JsonNode data = event.path("data");
        if (!data.path("version").canConvertToInt() || data.path("version").asInt() <= 0) {
            throw new BadRequestResponse("The release has no version.");
        }
        String description = data.path("description").isTextual() ? data.path("description").asText() : null;
        Instant created;
        try {
            created = Instant.parse(data.path("created_at").asText());
        } catch (RuntimeException e) {
            created = now;
        }
        String status = data.path("status").asText("");
        var release = new Release(data.path("version").asInt(), status.equals("succeeded") || status.equals("failed") ? status : "pending",
                description, Release.commitOf(description), created);
        if (releases.record(addonId, release, now)) {
            afterRelease.succeeded(addonId, release.version());
        }
        return "Release v" + release.version() + " (" + release.status() + ") recorded.";
    }

    /** The base64 HMAC-SHA256 of {@code body} under {@code secret}, as Heroku signs deliveries. */
    public static String hmac(String secret, byte[] body) {
        return Base64.getEncoder().encodeToString(Tokens.hmacSha256(secret.getBytes(StandardCharsets.UTF_8), body));
    }

    private static UUID addon(String value) {
        try {
            return value == null ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
