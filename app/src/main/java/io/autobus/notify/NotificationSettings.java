package io.autobus.notify;

import static io.autobus.db.generated.Tables.ADDON;
import static io.autobus.db.generated.Tables.NOTIFICATION;

import io.autobus.crypto.SecretBox;
import io.autobus.crypto.Tokens;
import io.autobus.net.CustomerAddresses;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;

/** Where an add-on's notifications go (mail override, signed webhook), and the messages kept. */
public final class NotificationSettings {
    private final DSLContext dsl;
    private final SecretBox secrets;
    private final CustomerAddresses addresses;

    public NotificationSettings(DSLContext dsl, SecretBox secrets, CustomerAddresses addresses) {
        this.dsl = dsl;
        this.secrets = secrets;
        this.addresses = addresses;
    }

    /** A message as the dashboard lists it. */
    public record Kept(String subject, String body, Instant createdAt, String emailStatus, String emailTo, String webhookStatus) {
    }

    /** The settings as the dashboard shows them; the secret signs webhook bodies. */
    public record Current(String notifyEmail, String webhookUrl, String webhookSecret) {
    }

    public Current current(UUID addonId) {
        var row = dsl.selectFrom(ADDON).where(ADDON.ID.eq(addonId)).fetchSingle();
        return new Current(row.getNotifyEmail(), row.getWebhookUrl(), row.getWebhookSecretSealed() == null ? null
                : secrets.open(secretPurpose(addonId), row.getWebhookSecretSealed()));
    }

    /**
     * @param notifyEmail blank for the app owner's address
     * @param webhookUrl  blank for none; an https URL (http only to this machine, and only while private networks are allowed)
     * @throws IllegalArgumentException with a message for the customer
     */
    public Current change(UUID addonId, String notifyEmail, String webhookUrl) {
        String email = blankToNull(notifyEmail);
        if (email != null) {
            try {
                new InternetAddress(email, true).validate();
            } catch (AddressException e) {
                throw new IllegalArgumentException("'" + email + "' is not an e-mail address.");
            }
        }
        String url = blankToNull(webhookUrl);
        if (url != null) {
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + url + "' is not a URL.");
            }
            boolean local = !addresses.denyPrivate() && ("localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost()));
            if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()) && local)) {
                throw new IllegalArgumentException("The webhook must be an https URL.");
            }
            addresses.refuseForbidden(uri.getHost()); // checked again before each delivery
        }
        var row = dsl.selectFrom(ADDON).where(ADDON.ID.eq(addonId)).fetchSingle();
        byte[] secret = row.getWebhookSecretSealed() != null ? row.getWebhookSecretSealed()
                : secrets.seal(secretPurpose(addonId), Tokens.random());
        dsl.update(ADDON)
                .set(ADDON.NOTIFY_EMAIL, email)
                .set(ADDON.WEBHOOK_URL, url)
                .set(ADDON.WEBHOOK_SECRET_SEALED, secret)
                .where(ADDON.ID.eq(addonId))
                .execute();
        return current(addonId);
    }

    /** The newest messages first. */
    public List<Kept> recent(UUID addonId, int limit) {
        return dsl.selectFrom(NOTIFICATION).where(NOTIFICATION.ADDON_ID.eq(addonId))
                .orderBy(NOTIFICATION.CREATED_AT.desc()).limit(limit)
                .fetch(r -> new Kept(r.getSubject(), r.getBody(), r.getCreatedAt().toInstant(), r.getEmailStatus(),
                        r.getEmailTo(), r.getWebhookStatus()));
    }

    static String secretPurpose(UUID addonId) {
        return "webhook-secret:" + addonId;
    }

    private static String blankToNull(String value) {
        return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty()).orElse(null);
    }
}
