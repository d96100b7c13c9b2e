package io.autobus.release;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autobus.crypto.Tokens;
import io.autobus.heroku.Release;
import io.autobus.http.JsonBodies;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.http.UnprocessableContentResponse;
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
    private final JsonBodies bodies;
    private final Clock clock;

    /** What follows a release that succeeded (snapshots, when the add-on asked for them). */
    public interface AfterRelease {
        void succeeded(UUID addonId, int version);
    }

    /**
     * Heroku's app-webhook event, as far as Autobus reads it (Heroku sends more, which is ignored).
     * {@code data} is read as a {@link ReleaseData} only when the resource is a release.
     */
    record Event(@JsonProperty("resource") String resource, @JsonProperty("data") ObjectNode data,
                 @JsonProperty("webhook_metadata") Metadata webhookMetadata) {
        String deliveryId() {
            return webhookMetadata == null || webhookMetadata.delivery() == null ? null : webhookMetadata.delivery().id();
        }
    }

    record Metadata(@JsonProperty("delivery") Delivery delivery) {
    }

    record Delivery(@JsonProperty("id") String id) {
    }

    /** An {@code api:release} event's {@code data}. */
    record ReleaseData(@JsonProperty("version") Integer version, @JsonProperty("description") String description,
                       @JsonProperty("created_at") String createdAt, @JsonProperty("status") String status) {
        ReleaseData {
            if (version == null || version <= 0) {
                throw new UnprocessableContentResponse("data.version is required: the release's number, from 1.");
            }
        }
    }

    public ReleaseWebhooks(ReleaseRepository releases, AfterRelease afterRelease, JsonBodies bodies, Clock clock) {
        this.releases = releases;
        this.afterRelease = afterRelease;
        this.bodies = bodies;
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
        Event event = bodies.bindIgnoringUnknown(bodies.object(ctx), Event.class);
        String deliveryId = event.deliveryId() != null ? event.deliveryId() : String.valueOf(ctx.header("Heroku-Webhook-Id"));
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

    private String apply(UUID addonId, Event event, Instant now) {
        if (!"release".equals(event.resource())) {
            return "Ignored: only releases are kept.";
        }
        var data = bodies.bindIgnoringUnknown(event.data() == null ? bodies.emptyObject() : event.data(), ReleaseData.class);
        Instant created;
        try {
            created = Instant.parse(String.valueOf(data.createdAt()));
        } catch (RuntimeException e) {
            created = now;
        }
        String status = String.valueOf(data.status());
        var release = new Release(data.version(), status.equals("succeeded") || status.equals("failed") ? status : "pending",
                data.description(), Release.commitOf(data.description()), created);
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
