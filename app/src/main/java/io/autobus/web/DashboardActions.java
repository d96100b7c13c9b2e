package io.autobus.web;

import io.autobus.api.ApiTokens;
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
import java.util.List;
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

    public DashboardActions(WebSessions sessions, ManualSnapshots manualSnapshots, DatabaseAttacher attacher,
                            SnapshotRepository snapshots, SnapshotStores stores, BackupSettings settings,
                            NotificationSettings notifications, Verification verification, SnapshotDeleter deleter,
                            ApiTokens apiTokens, Dashboard dashboard) {
        this.notifications = notifications;
        this.verification = verification;
        this.deleter = deleter;
        this.apiTokens = apiTokens;
        this.dashboard = dashboard;
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
        try {
            settings.changeSchedule(addonId, Integer.parseInt(String.valueOf(ctx.formParam("hour")).trim()),
                    ctx.formParam("time_zone"), ctx.formParam("weekly_day"), "on".equals(ctx.formParam("monthly")));
        } catch (NumberFormatException e) {
            throw new UnprocessableContentResponse("The backup hour must be a number from 0 to 23.");
        } catch (IllegalArgumentException e) {
            throw new UnprocessableContentResponse(e.getMessage());
        }
        ctx.redirect("/dashboard/settings#schedule-settings");
    }

    /** {@code POST /dashboard/releases}: "snapshot after each successful release" on or off. */
    public void changeReleases(Context ctx) {
        UUID addonId = formSession(ctx);
        settings.setSnapshotAfterRelease(addonId, "on".equals(ctx.formParam("snapshot_after_release")));
        ctx.redirect("/dashboard/settings#release-phase");
    }

    /** {@code POST /dashboard/notifications} */
    public void changeNotifications(Context ctx) {
        UUID addonId = formSession(ctx);
        try {
            notifications.change(addonId, ctx.formParam("notify_email"), ctx.formParam("webhook_url"));
        } catch (IllegalArgumentException e) {
            throw new UnprocessableContentResponse(e.getMessage());
        }
        ctx.redirect("/dashboard/settings#notifications");
    }

    /** {@code POST /dashboard/snapshots/{id}/verify}: restore and check it again. */
    public void verifyAgain(Context ctx) {
        UUID addonId = formSession(ctx);
        var snapshot = snapshots.find(ctx.pathParam("id"))
                .filter(s -> s.addonId().equals(addonId) && s.status() == SnapshotStatus.COMPLETED)
                .orElseThrow(() -> new NotFoundResponse("No such snapshot."));
        verification.enqueue(snapshot.id(), true);
        ctx.redirect("/dashboard#snapshots");
    }

    /** {@code POST /dashboard/databases/options} */
    public void changeDumpOptions(Context ctx) {
        UUID addonId = formSession(ctx);
        try {
            String level = ctx.formParam("compression_level");
            var options = new DumpOptions(names(ctx, "exclude_tables"), names(ctx, "exclude_table_data"), names(ctx, "schemas"),
                    names(ctx, "exclude_schemas"), "on".equals(ctx.formParam("no_owner")), "on".equals(ctx.formParam("no_acl")),
                    level == null || level.isBlank() ? null : Integer.valueOf(level.trim()));
            settings.changeDumpOptions(addonId, ctx.formParam("database"), options);
        } catch (NumberFormatException e) {
            throw new UnprocessableContentResponse("The compression level must be a number from 0 to 9.");
        } catch (IllegalArgumentException e) {
            throw new UnprocessableContentResponse("These dump options cannot be used: " + e.getMessage());
        }
        ctx.redirect("/dashboard/settings#dump-options");
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
            throw new UnprocessableContentResponse(e.getMessage());
        } catch (ManualSnapshots.CapReachedException e) {
            throw new HttpResponseException(409, e.getMessage());
        }
        ctx.redirect(requested.alreadyAsked() ? "/dashboard?done=already" : "/dashboard?done=created");
    }

    /** {@code POST /dashboard/snapshots/{id}/delete}, from the confirmation page. */
    public void deleteSnapshot(Context ctx) {
        UUID addonId = formSession(ctx);
        switch (deleter.delete(addonId, ctx.pathParam("id"))) {
            case DELETED -> ctx.redirect("/dashboard?done=deleted");
            case IN_PROGRESS -> throw new UnprocessableContentResponse("This snapshot is still in progress; delete it once it has finished.");
            case NOT_FOUND -> throw new NotFoundResponse("No such snapshot.");
        }
    }

    /** {@code POST /dashboard/api}: enable, disable, or regenerate the token (shown once, on the page that answers). */
    public void changeApi(Context ctx) {
        UUID addonId = formSession(ctx);
        String token = switch (String.valueOf(ctx.formParam("action"))) {
            case "enable" -> apiTokens.enable(addonId, true).orElse(null);
            case "disable" -> apiTokens.enable(addonId, false).orElse(null);
            case "regenerate" -> apiTokens.regenerate(addonId);
            default -> throw new UnprocessableContentResponse("Unknown action.");
        };
        if (token == null) {
            ctx.redirect("/dashboard/settings#api");
        } else {
            dashboard.settings(ctx, token);
        }
    }

    /** {@code POST /dashboard/databases} */
    public void attachDatabase(Context ctx) {
        UUID addonId = formSession(ctx);
        try {
            attacher.attach(addonId, ctx.formParam("name"), ctx.formParam("url"), "on".equals(ctx.formParam("replace")));
        } catch (IllegalArgumentException e) {
            throw new UnprocessableContentResponse("This database cannot be attached: " + e.getMessage());
        }
        ctx.redirect("/dashboard#databases");
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
