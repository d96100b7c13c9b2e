package io.autobus.notify;

import static io.autobus.db.generated.Tables.ADDON;
import static io.autobus.db.generated.Tables.NOTIFICATION;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autobus.crypto.SecretBox;
import java.net.URI;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a kept notification: by mail to the add-on's notification address (the app owner's
 * e-mail unless overridden) when SMTP is configured, and to its webhook when one is set. Each
 * channel is sent at most once; a failed one makes delivery fail so that it is retried.
 */
public final class NotificationDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationDelivery.class);

    private final DSLContext dsl;
    private final Optional<Mailer> mailer;
    private final WebhookSender webhooks;
    private final SecretBox secrets;
    private final ObjectMapper json;
    private final Clock clock;

    public NotificationDelivery(DSLContext dsl, Optional<Mailer> mailer, WebhookSender webhooks, SecretBox secrets,
                                ObjectMapper json, Clock clock) {
        this.dsl = dsl;
        this.mailer = mailer;
        this.webhooks = webhooks;
        this.secrets = secrets;
        this.json = json;
        this.clock = clock;
    }

    public void deliver(UUID notificationId) {
        var notification = dsl.selectFrom(NOTIFICATION).where(NOTIFICATION.ID.eq(notificationId)).fetchOptional().orElse(null);
        if (notification == null) {
            return;
        }
        var addon = dsl.selectFrom(ADDON).where(ADDON.ID.eq(notification.getAddonId())).fetchOptional().orElse(null);
        if (addon == null) {
            return;
        }
        String emailStatus = notification.getEmailStatus();
        String webhookStatus = notification.getWebhookStatus();
        String recipient = addon.getNotifyEmail() != null ? addon.getNotifyEmail() : addon.getOwnerEmail();
        String error = null;
        if (mailer.isPresent() && !"sent".equals(emailStatus) && !"kept".equals(emailStatus)) {
            if (recipient == null) {
                emailStatus = "none";
            } else {
                try {
                    mailer.get().send(recipient, "[Autobus] " + notification.getSubject() + appSuffix(addon.getAppName()),
                            notification.getBody() + "\n\n-- \nAutobus backups" + appSuffix(addon.getAppName())
                                    + ". Open the dashboard: heroku addons:open autobus");
                    emailStatus = "sent";
                } catch (Exception e) {
                    emailStatus = "failed";
                    error = "mail: " + e.getMessage();
                }
            }
        }
        if (!"sent".equals(webhookStatus)) {
            if (addon.getWebhookUrl() == null || addon.getWebhookSecretSealed() == null) {
                webhookStatus = "none";
            } else {
                try {
                    var body = new LinkedHashMap<String, Object>();
                    body.put("id", notification.getId().toString());
                    body.put("event", notification.getEvent());
                    body.put("addon_id", addon.getId().toString());
                    body.put("app", addon.getAppName());
                    body.put("topic", notification.getTopic());
                    body.put("subject", notification.getSubject());
                    body.put("message", notification.getBody());
                    body.put("created_at", notification.getCreatedAt().toInstant().toString());
                    webhooks.send(URI.create(addon.getWebhookUrl()), notification.getEvent(), json.writeValueAsString(body),
                            secrets.open(NotificationSettings.secretPurpose(addon.getId()), addon.getWebhookSecretSealed()));
                    webhookStatus = "sent";
                } catch (Exception e) {
                    webhookStatus = "failed";
                    error = (error == null ? "" : error + "; ") + "webhook: " + e.getMessage();
                }
            }
        }
        dsl.update(NOTIFICATION)
                .set(NOTIFICATION.EMAIL_STATUS, emailStatus)
                .set(NOTIFICATION.EMAIL_TO, recipient)
                .set(NOTIFICATION.WEBHOOK_STATUS, webhookStatus)
                .set(NOTIFICATION.LAST_ERROR, error)
                .set(NOTIFICATION.DELIVERED_AT, clock.instant().atOffset(ZoneOffset.UTC))
                .where(NOTIFICATION.ID.eq(notificationId))
                .execute();
        LOG.info("event=notification_delivered notification={} email={} webhook={}", notificationId, emailStatus, webhookStatus);
        if (error != null) {
            throw new IllegalStateException("notification " + notificationId + " not fully delivered: " + error);
        }
    }

    private static String appSuffix(String app) {
        return app == null ? "" : " (" + app + ")";
    }
}
