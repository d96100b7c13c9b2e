package io.autobus.release;

import io.autobus.heroku.Release;
import static io.autobus.db.generated.Tables.ADDON;
import static io.autobus.db.generated.Tables.APP_RELEASE;
import static io.autobus.db.generated.Tables.WEBHOOK_DELIVERY;

import io.autobus.crypto.SecretBox;
import io.autobus.crypto.Tokens;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** The app's releases, the webhook deliveries already taken, and what a delivery must carry to be believed. */
public final class ReleaseRepository {
    private final DSLContext dsl;
    private final SecretBox secrets;

    public ReleaseRepository(DSLContext dsl, SecretBox secrets) {
        this.dsl = dsl;
        this.secrets = secrets;
    }

    /** The Authorization value and HMAC secret Heroku's deliveries for this add-on carry. */
    public record WebhookCredentials(String authorization, String secret) {
    }

    /** The add-on's webhook credentials, made (random, sealed) the first time they are asked for. */
    public WebhookCredentials credentials(UUID addonId) {
        var existing = stored(addonId);
        if (existing.isPresent()) {
            return existing.get();
        }
        var made = new WebhookCredentials("Bearer " + Tokens.random(), Tokens.random());
        dsl.update(ADDON)
                .set(ADDON.HEROKU_WEBHOOK_AUTHORIZATION_SEALED, secrets.seal(purpose(addonId, "authorization"), made.authorization()))
                .set(ADDON.HEROKU_WEBHOOK_SECRET_SEALED, secrets.seal(purpose(addonId, "secret"), made.secret()))
                .where(ADDON.ID.eq(addonId), ADDON.HEROKU_WEBHOOK_SECRET_SEALED.isNull())
                .execute();
        return stored(addonId).orElseThrow(() -> new IllegalStateException("no add-on " + addonId));
    }

    /** The credentials, if the add-on has any (it has once it was subscribed). */
    public Optional<WebhookCredentials> stored(UUID addonId) {
        return dsl.select(ADDON.HEROKU_WEBHOOK_AUTHORIZATION_SEALED, ADDON.HEROKU_WEBHOOK_SECRET_SEALED).from(ADDON)
                .where(ADDON.ID.eq(addonId), ADDON.HEROKU_WEBHOOK_SECRET_SEALED.isNotNull())
                .fetchOptional(r -> new WebhookCredentials(secrets.open(purpose(addonId, "authorization"), r.value1()),
                        secrets.open(purpose(addonId, "secret"), r.value2())));
    }

    /** The add-on's webhook subscription at Heroku, once made. */
    public Optional<String> subscription(UUID addonId) {
        return dsl.select(ADDON.HEROKU_WEBHOOK_ID).from(ADDON).where(ADDON.ID.eq(addonId)).fetchOptional(r -> r.value1())
                .filter(java.util.Objects::nonNull);
    }

    public void recordSubscription(UUID addonId, String webhookId) {
        dsl.update(ADDON).set(ADDON.HEROKU_WEBHOOK_ID, webhookId).where(ADDON.ID.eq(addonId)).execute();
    }

    /** Whether a delivery with this id was applied already. */
    public boolean delivered(String deliveryId) {
        return dsl.fetchExists(WEBHOOK_DELIVERY, WEBHOOK_DELIVERY.DELIVERY_ID.eq(deliveryId));
    }

    /** True the first time a delivery id is seen; false for a delivery taken before (Heroku's retries). */
    public boolean firstDelivery(String deliveryId, UUID addonId, Instant now) {
        return dsl.insertInto(WEBHOOK_DELIVERY)
                .set(WEBHOOK_DELIVERY.DELIVERY_ID, deliveryId)
                .set(WEBHOOK_DELIVERY.ADDON_ID, addonId)
                .set(WEBHOOK_DELIVERY.RECEIVED_AT, now.atOffset(ZoneOffset.UTC))
                .onConflictDoNothing().execute() == 1;
    }

    /** Whether any release of the add-on's app is known. */
    public boolean anyKnown(UUID addonId) {
        return dsl.fetchExists(APP_RELEASE, APP_RELEASE.ADDON_ID.eq(addonId));
    }

    /**
     * Records a release, or its newer state (pending, then succeeded or failed).
     *
     * @return true when this made the release succeeded (it was unknown or pending before)
     */
    public boolean record(UUID addonId, Release release, Instant now) {
        String before = dsl.select(APP_RELEASE.STATUS).from(APP_RELEASE)
                .where(APP_RELEASE.ADDON_ID.eq(addonId), APP_RELEASE.VERSION.eq(release.version())).fetchOptional(r -> r.value1()).orElse(null);
        dsl.insertInto(APP_RELEASE)
                .set(APP_RELEASE.ADDON_ID, addonId)
                .set(APP_RELEASE.VERSION, release.version())
                .set(APP_RELEASE.STATUS, release.status())
                .set(APP_RELEASE.DESCRIPTION, release.description())
                .set(APP_RELEASE.GIT_COMMIT, release.commit())
                .set(APP_RELEASE.CREATED_AT, release.createdAt().atOffset(ZoneOffset.UTC))
                .set(APP_RELEASE.UPDATED_AT, now.atOffset(ZoneOffset.UTC))
                .onConflict(APP_RELEASE.ADDON_ID, APP_RELEASE.VERSION).doUpdate()
                // Deliveries may come out of order: a release that succeeded or failed never goes back to pending.
                .set(APP_RELEASE.STATUS, DSL.when(APP_RELEASE.STATUS.eq("pending"), DSL.val(release.status())).otherwise(APP_RELEASE.STATUS))
                .set(APP_RELEASE.DESCRIPTION, release.description())
                .set(APP_RELEASE.GIT_COMMIT, release.commit())
                .set(APP_RELEASE.UPDATED_AT, now.atOffset(ZoneOffset.UTC))
                .execute();
        return release.status().equals("succeeded") && (before == null || before.equals("pending"));
    }

    private static String purpose(UUID addonId, String what) {
        return "heroku-webhook-" + what + ":" + addonId;
    }
}
