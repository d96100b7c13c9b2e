package io.autobus.web;

import io.autobus.addon.AccessChecker;
import io.autobus.addon.AccessState;
import io.autobus.addon.Addon;
import io.autobus.addon.AddonRepository;
import io.autobus.backup.BackupSchedule;
import io.autobus.backup.BackupSettings;
import io.autobus.backup.SnapshotRepository;
import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;
import io.autobus.dump.DumpOptions;
import io.autobus.notify.NotificationSettings;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.format.TextStyle;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.time.Duration;
import java.util.HashMap;

/** {@code GET /dashboard}: the add-on's app, plan, access and databases. */
public final class Dashboard {
    /** Opening the dashboard re-checks access, but not more often than this per add-on. */
    private static final Duration RECHECK_AFTER = Duration.ofSeconds(15);

    private final WebSessions sessions;
    private final AddonRepository addons;
    private final SnapshotRepository snapshots;
    private final BackupSettings settings;
    private final NotificationSettings notifications;
    private final AccessChecker accessChecker;
    private final Pages pages;
    private final String collaboratorEmail;
    private final Clock clock;

    public Dashboard(WebSessions sessions, AddonRepository addons, SnapshotRepository snapshots, BackupSettings settings,
                     NotificationSettings notifications, AccessChecker accessChecker, Pages pages, String collaboratorEmail,
                     Clock clock) {
        this.settings = settings;
        this.notifications = notifications;
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
        UUID addonId = addon.id();
        var databases = addons.databases(addonId);
        model.put("databases", databases);
        var options = new HashMap<String, DumpOptions>();
        databases.forEach(db -> options.put(db.configVar(), settings.dumpOptions(addonId, db.configVar())));
        model.put("options", options);
        BackupSchedule schedule = settings.schedule(addonId);
        model.put("schedule", schedule);
        model.put("weekdays", Arrays.stream(DayOfWeek.values()).map(Dashboard::dayName).toList());
        model.put("weeklyDay", dayName(schedule.weeklyDay()));
        model.put("notify", notifications.current(addonId));
        model.put("messages", notifications.recent(addonId, 20));
        model.put("collaboratorEmail", collaboratorEmail);
        model.put("snapshots", snapshots.ofAddon(addon.id()));
        model.put("csrf", sessions.csrfToken(ctx));
        pages.render(ctx, 200, "dashboard", model);
    }

    private static String dayName(DayOfWeek day) {
        return day.getDisplayName(TextStyle.FULL, Locale.ENGLISH);
    }

    private boolean recheckDue(Addon addon) {
        return addon.accessCheckedAt() == null || addon.accessCheckedAt().plus(RECHECK_AFTER).isBefore(clock.instant());
    }
}
