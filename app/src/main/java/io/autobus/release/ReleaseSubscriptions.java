package io.autobus.release;

import io.autobus.heroku.PlatformApiClient;
import java.net.URI;
import java.util.UUID;

/**
 * The add-on's subscription to its app's releases, made once the add-on has its partner token
 * (the access check, after provisioning, calls {@link #ensure}) and kept: a repeated provision, a
 * restart, or a subscription Heroku already has, make no second one.
 */
public final class ReleaseSubscriptions implements io.autobus.addon.ReleaseFollowing {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReleaseSubscriptions.class);
    private final ReleaseRepository releases;
    private final PlatformApiClient platform;
    private final URI publicUrl;

    public ReleaseSubscriptions(ReleaseRepository releases, PlatformApiClient platform, URI publicUrl) {
        this.releases = releases;
        this.platform = platform;
        this.publicUrl = publicUrl;
    }

    /** Subscribes the add-on unless it is already; {@code partnerToken} gives the add-on's token, asked only when needed. */
    @Override
    public void ensure(UUID addonId, java.util.function.Supplier<String> partnerToken) {
        if (releases.subscription(addonId).isPresent()) {
            return;
        }
        var credentials = releases.credentials(addonId);
        String id = platform.subscribeToReleases(partnerToken.get(), addonId, deliveryUrl(addonId), credentials.secret(),
                credentials.authorization());
        releases.recordSubscription(addonId, id);
    }

    /**
     * Until a delivery has come (a new add-on), the app's current release read once through the releases list, with
     * {@code token} (ours, a collaborator's; the partner token may not read releases); left unknown when it cannot be read.
     */
    @Override
    public void learnCurrentRelease(UUID addonId, String app, String token, java.time.Instant now) {
        if (releases.anyKnown(addonId)) {
            return;
        }
        try {
            platform.latestRelease(token, app).ifPresent(release -> releases.record(addonId, release, now));
        } catch (RuntimeException e) {
            LOG.info("event=current_release_unknown addon={} reason=\"{}\"", addonId, String.valueOf(e.getMessage()).replace('"', '\''));
        }
    }

    /** Removes the add-on's subscription, if it has one; a failure is logged (Heroku removes it with the add-on anyway). */
    public void remove(UUID addonId, java.util.function.Supplier<String> partnerToken) {
        var id = releases.subscription(addonId);
        if (id.isEmpty()) {
            return;
        }
        try {
            platform.unsubscribe(partnerToken.get(), addonId, id.get());
            releases.recordSubscription(addonId, null);
        } catch (RuntimeException e) {
            LOG.warn("event=release_unsubscribe_failed addon={} reason=\"{}\"", addonId, String.valueOf(e.getMessage()).replace('"', '\''));
        }
    }

    /** Where Heroku delivers the add-on's releases. */
    String deliveryUrl(UUID addonId) {
        return publicUrl.resolve("/heroku/webhooks?addon=" + addonId).toString();
    }
}
