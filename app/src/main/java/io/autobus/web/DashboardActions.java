package io.autobus.web;

import io.autobus.addon.FoundDatabase;
import io.autobus.api.ApiTokens;
import io.autobus.backup.BackupSchedule;
import io.autobus.backup.BackupSettings;
import io.autobus.backup.SnapshotDeleter;
import io.autobus.backup.DatabaseAttacher;
import io.autobus.backup.ManualSnapshots;
import io.autobus.backup.SnapshotRepository;
import io.autobus.backup.SnapshotStatus;
import io.autobus.dump.DumpOptions;
import io.autobus.notify.NotificationSettings;
import io.autobus.verify.Verification;
import io.autobus.storage.SnapshotStores;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpResponseException;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UnprocessableContentResponse;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** What a customer does from the dashboard: back up now, attach a database, download, change settings. */
public final class DashboardActions {
    private final WebSessions sessions;
    private final ManualSnapshots manualSnapshots;
    private final DatabaseAttacher attacher;
    private final SnapshotRepository snapshots;
    private final SnapshotStores stores;
    private final BackupSettings settings;
    private final NotificationSettings notifications;
    private final Verification verification;
    private final SnapshotDeleter deleter;
    private final ApiTokens apiTokens;
    private final Dashboard dashboard;
    private final Flash flash;

    public DashboardActions(WebSessions sessions, ManualSnapshots manualSnapshots, DatabaseAttacher attacher,
                            SnapshotRepository snapshots, SnapshotStores stores, BackupSettings settings,
                            NotificationSettings notifications, Verification verification, SnapshotDeleter deleter,
                            ApiTokens apiTokens, Dashboard dashboard, Flash flash) {
        this.notifications = notifications;
        this.verification = verification;
        this.deleter = deleter;
        this.apiTokens = apiTokens;
        this.dashboard = dashboard;
        this.flash = flash;
        this.sessions = sessions;
        this.manualSnapshots = manualSnapshots;
        this.attacher = attacher;
        this.snapshots = snapshots;
        this.stores = stores;
        this.settings = settings;
    }

    /** {@code POST /dashboard/schedule} */
    public void changeSchedule(Context ctx) {
        UUID addonId = formSession(ctx);
        BackupSchedule schedule;
        try {
            schedule = settings.changeSchedule(addonId, hour(ctx.formParam("hour")), ctx.formParam("time_zone"), ctx.formParam("weekly_day"),
                    "on".equals(ctx.formParam("monthly")));
        } catch (IllegalArgumentException e) {
            dashboard.settings(ctx, Refused.of(ctx, "schedule", e.getMessage()));
            return;
        }
        done(ctx, "/dashboard/settings#schedule-settings", String.format(Locale.ROOT,
                "Schedule saved: daily at %02d:%02d %s; the run on %s is kept as Weekly%s.", schedule.hour(), schedule.minute(),
                schedule.zone().getId(), schedule.weeklyDay().getDisplayName(TextStyle.FULL, Locale.ENGLISH),
                schedule.monthlyEnabled() ? ", the run on the 1st as Monthly" : ""));
    }

    private static int hour(String value) {
        try {
            return Integer.parseInt(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("The backup hour must be a number from 0 to 23.");
        }
    }

    /** {@code POST /dashboard/releases}: "snapshot after each successful release" on or off. */
    public void changeReleases(Context ctx) {
        UUID addonId = formSession(ctx);
        boolean on = "on".equals(ctx.formParam("snapshot_after_release"));
        settings.setSnapshotAfterRelease(addonId, on);
        done(ctx, "/dashboard/settings#release-phase", on
                ? "Saved: after each successful release, each database gets a snapshot described \"after v<N>\"."
                : "Saved: no snapshot is taken after releases.");
    }

    /** {@code POST /dashboard/notifications} */
    public void changeNotifications(Context ctx) {
        UUID addonId = formSession(ctx);
        NotificationSettings.Current saved;
        try {
            saved = notifications.change(addonId, ctx.formParam("notify_email"), ctx.formParam("webhook_url"));
        } catch (IllegalArgumentException e) {
            dashboard.settings(ctx, Refused.of(ctx, "notifications", e.getMessage()));
            return;
        }
        done(ctx, "/dashboard/settings#notifications", "Notifications saved: e-mails go to "
                + (saved.notifyEmail() == null ? "the app owner" : saved.notifyEmail())
                + (saved.webhookUrl() == null ? "" : ", and each message is posted to " + saved.webhookUrl()) + ".");
    }

    /** {@code POST /dashboard/snapshots/{id}/verify}: restore and check it again. */
    public void verifyAgain(Context ctx) {
        UUID addonId = formSession(ctx);
        var snapshot = snapshots.find(ctx.pathParam("id"))
                .filter(s -> s.addonId().equals(addonId) && s.status() == SnapshotStatus.COMPLETED)
                .orElseThrow(() -> new NotFoundResponse("No such snapshot."));
        if (snapshot.encrypted()) {
            done(ctx, "/dashboard/snapshots/" + snapshot.id(), "Snapshot " + snapshot.id() + " is " + io.autobus.verify.SnapshotVerifier.ENCRYPTED + ".");
            return;
        }
        verification.enqueue(snapshot.id(), true);
        done(ctx, "/dashboard#snapshots", "Verification of snapshot " + snapshot.id()
                + " queued: it is restored into a scratch database and checked again; its Restorable column shows the verdict.");
    }

    /** {@code POST /dashboard/databases/options} */
    public void changeDumpOptions(Context ctx) {
        UUID addonId = formSession(ctx);
        String database = ctx.formParam("database");
        try {
            String level = ctx.formParam("compression_level");
            var options = new DumpOptions(names(ctx, "exclude_tables"), names(ctx, "exclude_table_data"), names(ctx, "schemas"),
                    names(ctx, "exclude_schemas"), "on".equals(ctx.formParam("no_owner")), "on".equals(ctx.formParam("no_acl")),
                    compressionLevel(level));
            settings.changeDumpOptions(addonId, database, options);
        } catch (IllegalArgumentException e) {
            dashboard.settings(ctx, Refused.of(ctx, "options:" + database, "These dump options cannot be used: " + e.getMessage()));
            return;
        }
        done(ctx, "/dashboard/settings#options-" + database, "Dump options of " + database + " saved; the next snapshot of it uses them.");
    }

    private static Integer compressionLevel(String level) {
        try {
            return level == null || level.isBlank() ? null : Integer.valueOf(level.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the compression level must be a number from 0 to 9.");
        }
    }

    /** A form field of names separated by commas or spaces. */
    private static List<String> names(Context ctx, String field) {
        String value = ctx.formParam(field);
        return value == null || value.isBlank() ? List.of() : List.of(value.trim().split("[,\\s]+"));
    }

    /** {@code POST /dashboard/snapshots} */
    public void takeSnapshot(Context ctx) {
        UUID addonId = formSession(ctx);
        ManualSnapshots.Requested requested;
        try {
            requested = manualSnapshots.take(addonId, ctx.formParam("database"), ctx.formParam("description"));
        } catch (IllegalArgumentException e) {
            dashboard.snapshots(ctx, Refused.of(ctx, "create-snapshot", e.getMessage()));
            return;
        } catch (ManualSnapshots.CapReachedException e) {
            dashboard.snapshots(ctx, Refused.of(ctx, "create-snapshot", e.getMessage()));
            return;
        }
        done(ctx, "/dashboard", requested.alreadyAsked()
                ? requested.message() + "; this page follows it until it is done."
                : "Snapshot of " + requested.configVar() + " queued; this page follows it until it is done and verified.");
    }

    /** {@code POST /dashboard/snapshots/{id}/delete}, from the confirmation page. */
    public void deleteSnapshot(Context ctx) {
        UUID addonId = formSession(ctx);
        String id = ctx.pathParam("id");
        switch (deleter.delete(addonId, id)) {
            case DELETED -> done(ctx, "/dashboard", "Snapshot " + id + " was deleted, with its file.");
            case IN_PROGRESS -> throw new UnprocessableContentResponse("This snapshot is still in progress; delete it once it has finished.");
            case NOT_FOUND -> throw new NotFoundResponse("No such snapshot.");
        }
    }

    /**
     * {@code POST /dashboard/api}: enable, disable, or regenerate the token (shown once, on the page
     * that answers). Regenerating needs the confirmation page's {@code confirm}: the old token stops working at once.
     */
    public void changeApi(Context ctx) {
        UUID addonId = formSession(ctx);
        switch (String.valueOf(ctx.formParam("action"))) {
            case "enable" -> apiTokens.enable(addonId, true).ifPresentOrElse(
                    token -> dashboard.settings(ctx, Refused.NONE, token, "API enabled. Copy your token now: it is not shown again."),
                    () -> done(ctx, "/dashboard/settings#api", "API enabled: your token works again."));
            case "disable" -> {
                apiTokens.enable(addonId, false);
                done(ctx, "/dashboard/settings#api", "API disabled: your token is refused until you enable the API again.");
            }
            case "regenerate" -> {
                if (!"yes".equals(ctx.formParam("confirm"))) {
                    ctx.redirect("/dashboard/api/regenerate");
                    return;
                }
                dashboard.settings(ctx, Refused.NONE, apiTokens.regenerate(addonId),
                        "New API token made: the old one no longer works. Copy this one now: it is not shown again.");
            }
            default -> throw new UnprocessableContentResponse("Unknown action.");
        }
    }

    /** {@code POST /dashboard/databases} */
    public void attachDatabase(Context ctx) {
        UUID addonId = formSession(ctx);
        DatabaseAttacher.Attached attached;
        try {
            attached = attacher.attach(addonId, ctx.formParam("name"), ctx.formParam("url"), "on".equals(ctx.formParam("replace")));
        } catch (IllegalArgumentException e) {
            dashboard.snapshots(ctx, Refused.of(ctx, "attach-database",
                    "This database cannot be attached: " + e.getMessage() + " (Paste the URL again: it is not sent back.)", "url"));
            return;
        }
        var database = attached.database();
        done(ctx, "/dashboard#databases", "Database " + database.configVar() + (attached.replaced() ? " now points at the new URL" : " attached")
                + ": " + attached.reachable().server() + ", dumped with " + attached.reachable().tool() + ". "
                + (attached.covered() ? "It is backed up on the daily schedule; \"Create snapshot\" backs it up now."
                : "It is not covered by your plan, so it is not backed up."));
    }

    /** Leaves the action's answer for the page it goes on to. */
    private void done(Context ctx, String next, String message) {
        flash.say(ctx, message);
        ctx.redirect(next);
    }

    /** {@code POST /logout}: ends the session (the cookie opens nothing afterwards) and says so on the home page. */
    public void signOut(Context ctx) {
        if (!sessions.formTokenMatches(ctx)) {
            throw new ForbiddenResponse("This sign-out form is not from your dashboard page; reload the dashboard and sign out from there.");
        }
        sessions.end(ctx);
        ctx.redirect("/?signed_out");
    }

    /** {@code GET /dashboard/snapshots/{id}/download}: to a link valid for 30 minutes. */
    public void download(Context ctx) {
        UUID addonId = sessions.current(ctx).orElseThrow(SignedIn::required).addonId();
        var snapshot = snapshots.find(ctx.pathParam("id"))
                .filter(s -> s.addonId().equals(addonId) && s.status() == SnapshotStatus.COMPLETED)
                .orElseThrow(() -> new NotFoundResponse("No such snapshot."));
        ctx.redirect(stores.byRegion(snapshot.storageRegion()).downloadUrl(snapshot.storageKey(), snapshot.fileName()).toString());
    }

    private UUID formSession(Context ctx) {
        return sessions.currentForForm(ctx).orElseThrow(SignedIn::required).addonId();
    }
}
