package io.autobus.web;

import io.autobus.addon.AccessChecker;
import io.autobus.addon.AccessState;
import io.autobus.addon.Addon;
import io.autobus.addon.AddonRepository;
import io.autobus.backup.SnapshotRepository;
import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;

/** {@code GET /dashboard}: the add-on's app, plan, access and databases. */
public final class Dashboard {
    /** Opening the dashboard re-checks access, but not more often than this per add-on. */
    private static final Duration RECHECK_AFTER = Duration.ofSeconds(15);

    private final WebSessions sessions;
    private final AddonRepository addons;
    private final SnapshotRepository snapshots;
    private final AccessChecker accessChecker;
    private final Pages pages;
    private final String collaboratorEmail;
    private final Clock clock;

    public Dashboard(WebSessions sessions, AddonRepository addons, SnapshotRepository snapshots, AccessChecker accessChecker,
                     Pages pages, String collaboratorEmail, Clock clock) {
        this.sessions = sessions;
        this.addons = addons;
        this.snapshots = snapshots;
        this.accessChecker = accessChecker;
        this.pages = pages;
        this.collaboratorEmail = collaboratorEmail;
        this.clock = clock;
    }

    public void show(Context ctx) {
        var session = sessions.current(ctx).orElseThrow(() -> new UnauthorizedResponse(
                "Please open the Autobus dashboard through Heroku: run heroku addons:open autobus, "
                        + "or pick Autobus in your app's Resources tab on the Heroku Dashboard."));
        Addon addon = addons.find(session.addonId()).orElseThrow(() -> new UnauthorizedResponse(
                "This Autobus add-on was removed. Run heroku addons:open autobus for another one."));
        if (addon.accessState() != AccessState.ACTIVE && recheckDue(addon)) {
            addon = accessChecker.check(addon.id()).orElse(addon);
        }
        var model = new HashMap<String, Object>();
        model.put("addon", addon);
        model.put("email", session.email());
        model.put("plan", addon.plan());
        model.put("state", addon.accessState().dbValue());
        model.put("databases", addons.databases(addon.id()));
        model.put("collaboratorEmail", collaboratorEmail);
        model.put("snapshots", snapshots.ofAddon(addon.id()));
        model.put("csrf", sessions.csrfToken(ctx));
        pages.render(ctx, 200, "dashboard", model);
    }

    private boolean recheckDue(Addon addon) {
        return addon.accessCheckedAt() == null || addon.accessCheckedAt().plus(RECHECK_AFTER).isBefore(clock.instant());
    }
}
