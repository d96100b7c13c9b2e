package io.autobus.addon;

import io.autobus.heroku.HerokuApiException;
import io.autobus.heroku.PartnerTokenProvider;
import io.autobus.heroku.PlatformApiClient;
import io.autobus.notify.Notifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out whether Autobus can reach an add-on's databases: learns the owning app with the
 * partner token, then reads the app's config vars with our own Heroku account (a collaborator
 * once the customer added it) and records the databases found. Records the outcome and when to
 * look again: soon while waiting for access, backing off for add-ons that wait for long.
 */
public final class AccessChecker {
    private static final Logger LOG = LoggerFactory.getLogger(AccessChecker.class);
    static final Duration RETRY = Duration.ofMinutes(10);
    static final Duration ACTIVE_RECHECK = Duration.ofHours(24);
    static final Duration LONGEST_WAIT = Duration.ofHours(12);

    private final AddonRepository addons;
    private final PartnerTokenProvider partnerTokens;
    private final PlatformApiClient platform;
    private final DatabaseFinder finder;
    private final Optional<String> herokuApiKey;
    private final String collaboratorEmail;
    private final Notifier notifier;
    private final ReleaseFollowing subscriptions;
    private final Clock clock;

    public AccessChecker(AddonRepository addons, PartnerTokenProvider partnerTokens, PlatformApiClient platform,
                         DatabaseFinder finder, Optional<String> herokuApiKey, String collaboratorEmail, Notifier notifier,
                         ReleaseFollowing subscriptions, Clock clock) {
        this.subscriptions = subscriptions;
        this.addons = addons;
        this.partnerTokens = partnerTokens;
        this.platform = platform;
        this.finder = finder;
        this.herokuApiKey = herokuApiKey;
        this.collaboratorEmail = collaboratorEmail;
        this.notifier = notifier;
        this.clock = clock;
    }

    /** Checks now; returns the add-on as recorded afterwards (empty when it was deprovisioned). */
    public Optional<Addon> check(UUID addonId) {
        Optional<Addon> found = addons.find(addonId);
        if (found.isEmpty()) {
            return found;
        }
        Addon addon = found.get();
        Instant now = clock.instant();
        try {
            if (addon.appId() == null) {
                learnApp(addon, now);
                addon = addons.find(addonId).orElseThrow();
            }
        } catch (HerokuApiException e) {
            if (!"not_configured".equals(e.id())) {
                // Not configured (no HEROKU_OAUTH_SECRET, as in development) is said once at start, not at every round.
                LOG.warn("event=app_lookup_failed addon={} status={} error={}", addonId, e.status(), e.id());
            }
            if (addon.appName() == null) {
                addons.recordAccess(addonId, AccessState.PENDING,
                        "Autobus could not learn which app it is attached to yet: " + e.getMessage(), now, now.plus(RETRY));
                return addons.find(addonId);
            }
        }
        if (addon.appId() != null) {
            subscribeToReleases(addon);
            String app = addon.appId().toString();
            herokuApiKey.ifPresent(key -> subscriptions.learnCurrentRelease(addonId, app, key, now));
        }
        readConfigVars(addon, now);
        return addons.find(addonId);
    }

    /** Releases are a bonus: a subscription that fails (Heroku down, the token refused) is tried again at the next check. */
    private void subscribeToReleases(Addon addon) {
        try {
            subscriptions.ensure(addon.id(), () -> partnerTokens.accessToken(addon.id()));
        } catch (RuntimeException e) {
            LOG.warn("event=release_subscription_failed addon={} reason=\"{}\"", addon.id(), String.valueOf(e.getMessage()).replace('"', '\''));
        }
    }

    private void learnApp(Addon addon, Instant now) {
        String token = partnerTokens.accessToken(addon.id());
        var app = platform.addonApp(token, addon.id());
        addons.recordApp(addon.id(), app.id(), app.name(), now);
        try {
            platform.ownerEmail(token, app.id().toString())
                    .ifPresent(email -> addons.recordOwnerEmail(addon.id(), email, now));
        } catch (HerokuApiException e) {
            LOG.warn("event=owner_lookup_failed addon={} status={} error={}", addon.id(), e.status(), e.id());
        }
        LOG.info("event=app_learned addon={} app={}", addon.id(), app.name());
    }

    private void readConfigVars(Addon addon, Instant now) {
        String app = addon.appId() != null ? addon.appId().toString() : addon.appName();
        if (herokuApiKey.isEmpty()) {
            addons.recordAccess(addon.id(), AccessState.WAITING_FOR_ACCESS,
                    "This Autobus installation has no HEROKU_API_KEY, so it cannot read your app's config vars yet.",
                    now, now.plus(RETRY));
            return;
        }
        try {
            var databases = finder.find(platform.configVars(herokuApiKey.get(), app));
            addons.replaceDatabases(addon.id(), databases, now);
            addons.recordAccess(addon.id(), AccessState.ACTIVE,
                    databases.isEmpty() ? "No database found in the app's config vars." : null,
                    now, now.plus(ACTIVE_RECHECK));
            LOG.info("event=access_ok addon={} databases={}", addon.id(), databases.size());
            notifier.resolved(addon.id(), "access", "access.recovered", "Autobus can read " + appLabel(addon) + " again",
                    "Autobus is a collaborator of " + appLabel(addon) + " again; backups run as scheduled.");
        } catch (HerokuApiException e) {
            if (e.accessDenied()) {
                boolean lost = addon.accessState() == AccessState.ACTIVE;
                addons.recordAccess(addon.id(), AccessState.WAITING_FOR_ACCESS, waitingMessage(addon, lost), now,
                        now.plus(waitBeforeNextCheck(addon, now)));
                LOG.info("event={} addon={} status={}", lost ? "access_lost" : "access_waiting", addon.id(), e.status());
                if (lost) {
                    notifier.problem(addon.id(), "access", "access.lost", "Autobus lost access to " + appLabel(addon),
                            waitingMessage(addon, true));
                }
            } else {
                addons.recordAccess(addon.id(), addon.accessState(),
                        "Autobus could not read the app's config vars: " + e.getMessage(), now, now.plus(RETRY));
                LOG.warn("event=config_vars_failed addon={} status={} error={}", addon.id(), e.status(), e.id());
            }
        }
    }

    private static String appLabel(Addon addon) {
        return addon.appName() != null ? addon.appName() : "your app";
    }

    private String waitingMessage(Addon addon, boolean lost) {
        String app = addon.appName() != null ? addon.appName() : "your app";
        String start = lost
                ? "Autobus lost access to " + app + ": " + collaboratorEmail + " is no longer a collaborator, so no backup can run."
                : "Autobus is waiting for access to " + app + ".";
        return start + " In the Heroku Dashboard open " + app + ", Access tab, and add " + collaboratorEmail
                + " as a collaborator (Heroku Enterprise: with the \"operate\" permission)."
                + " Autobus checks again on its own, and whenever you open this dashboard.";
    }

    /** Every 10 minutes at first, then less often the longer the add-on has waited, at most 12 hours. */
    static Duration waitBeforeNextCheck(Addon addon, Instant now) {
        Duration waited = Duration.between(addon.createdAt(), now).dividedBy(4);
        if (waited.compareTo(RETRY) < 0) {
            return RETRY;
        }
        return waited.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : waited;
    }
}
