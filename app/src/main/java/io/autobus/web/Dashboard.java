package io.autobus.web;

import io.autobus.addon.AccessChecker;
import io.autobus.addon.AccessState;
import io.autobus.addon.Addon;
import io.autobus.addon.AddonRepository;
import io.autobus.addon.FoundDatabase;
import io.autobus.api.ApiTokens;
import io.autobus.backup.BackupSchedule;
import io.autobus.backup.BackupSettings;
import io.autobus.backup.ProgressEstimate;
import io.autobus.backup.Snapshot;
import io.autobus.backup.SnapshotChanges;
import io.autobus.backup.SnapshotRepository;
import io.autobus.backup.SnapshotStatus;
import io.autobus.dump.DumpOptions;
import io.autobus.notify.NotificationSettings;
import io.autobus.restore.RestoreRepository;
import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;
import java.net.URI;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The dashboard's three tabs: Snapshots ({@code /dashboard}), Statistics and Settings. */
public final class Dashboard {
    /** Opening the dashboard re-checks access, but not more often than this per add-on. */
    private static final Duration RECHECK_AFTER = Duration.ofSeconds(15);
    private static final int CHART_DAYS = 30;
    private static final int RECENT_RESTORES = 5;

    private final WebSessions sessions;
    private final AddonRepository addons;
    private final SnapshotRepository snapshots;
    private final RestoreRepository restores;
    private final BackupSettings settings;
    private final NotificationSettings notifications;
    private final ApiTokens apiTokens;
    private final AccessChecker accessChecker;
    private final Pages pages;
    private final String collaboratorEmail;
    private final URI publicUrl;
    private final Clock clock;

    public Dashboard(WebSessions sessions, AddonRepository addons, SnapshotRepository snapshots, RestoreRepository restores,
                     BackupSettings settings, NotificationSettings notifications, ApiTokens apiTokens, AccessChecker accessChecker,
                     Pages pages, String collaboratorEmail, URI publicUrl, Clock clock) {
        this.sessions = sessions;
        this.addons = addons;
        this.snapshots = snapshots;
        this.restores = restores;
        this.settings = settings;
        this.notifications = notifications;
        this.apiTokens = apiTokens;
        this.accessChecker = accessChecker;
        this.pages = pages;
        this.collaboratorEmail = collaboratorEmail;
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    /** {@code GET /dashboard}: snapshots per database and the latest restores; refreshes itself while one is in progress. */
    public void snapshots(Context ctx) {
        snapshots(ctx, Refused.NONE);
    }

    /** The Snapshots tab; with a refused form, answered 422 and not refreshed (that would lose what was typed). */
    void snapshots(Context ctx, Refused refused) {
        var model = base(ctx, "snapshots");
        Addon addon = (Addon) model.get("addon");
        var all = snapshots.ofAddon(addon.id());
        var byDatabase = new LinkedHashMap<String, List<Snapshot>>();
        for (FoundDatabase database : addons.databases(addon.id())) {
            byDatabase.put(database.configVar(), new ArrayList<>());
        }
        all.forEach(s -> byDatabase.computeIfAbsent(s.configVar(), k -> new ArrayList<>()).add(s));
        model.put("byDatabase", byDatabase);
        model.put("coverage", addons.coverage(addon));
        var recentRestores = restores.ofAddon(addon.id(), RECENT_RESTORES);
        model.put("restores", recentRestores);
        model.put("inProgress", refused == Refused.NONE && (all.stream().anyMatch(s -> s.status() == SnapshotStatus.PENDING
                || s.status() == SnapshotStatus.RUNNING || "running".equals(s.verification()))
                || recentRestores.stream().anyMatch(r -> !r.status().finished())));
        model.put("progress", progressOfRunning(all));
        model.put("encryptionRecipient", addons.encryptionRecipient(addon.id()).orElse(null));
        model.put("messages", notifications.recent(addon.id(), 5));
        model.put("attachedDatabases", addons.attachedNames(addon.id()));
        refused.shownOn(List.of("create-snapshot", "attach-database"));
        model.put("refused", refused);
        pages.render(ctx, status(refused), "dashboard", model);
    }

    /** {@code GET /dashboard/statistics}: size and rows day by day, and the latest snapshot's tables. */
    public void statistics(Context ctx) {
        var model = base(ctx, "statistics");
        Addon addon = (Addon) model.get("addon");
        var charts = new ArrayList<Map<String, Object>>();
        // Days as the customer's schedule counts them: the daily snapshot of a day is that day's point.
        var zone = settings.schedule(addon.id()).zone();
        for (FoundDatabase database : addons.databases(addon.id())) {
            var history = snapshots.history(addon.id(), database.configVar(), zone, CHART_DAYS);
            var chart = new HashMap<String, Object>();
            chart.put("database", database);
            chart.put("points", history.size());
            chart.put("sizeChart", SvgChart.line(history.stream().filter(p -> p.databaseSizeBytes() != null)
                    .map(p -> new SvgChart.Point(p.day(), p.databaseSizeBytes())).toList(), SvgChart.Unit.BYTES, "size"));
            chart.put("rowsChart", SvgChart.line(history.stream().map(p -> new SvgChart.Point(p.day(), p.rows())).toList(),
                    SvgChart.Unit.COUNT, "rows"));
            snapshots.page(addon.id(), database.configVar(), null, SnapshotStatus.COMPLETED, 1, 0).stream().findFirst().ifPresent(latest -> {
                chart.put("latest", latest);
                chart.put("changes", SnapshotChanges.sincePrevious(snapshots, latest));
            });
            charts.add(chart);
        }
        model.put("charts", charts);
        pages.render(ctx, 200, "statistics", model);
    }

    /** {@code GET /dashboard/settings} */
    public void settings(Context ctx) {
        settings(ctx, Refused.NONE, null, null);
    }

    /** The Settings tab with a refused form, answered 422. */
    void settings(Context ctx, Refused refused) {
        settings(ctx, refused, null, null);
    }

    /** {@code GET /dashboard/api/regenerate}: what a new token means for the old one, before it is made. */
    public void confirmRegenerate(Context ctx) {
        var model = base(ctx, "settings");
        model.put("publicUrl", publicUrl());
        pages.render(ctx, 200, "regenerate", model);
    }

    /** The release-phase recipe customers copy into their app (tested by ReleasePhaseScriptTest). */
    private static final String RELEASE_SCRIPT = releaseScript();

    private static String releaseScript() {
        try (var in = Dashboard.class.getResourceAsStream("/autobus-snapshot-before-release")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException | NullPointerException e) {
            throw new IllegalStateException("the release-phase script is missing from the jar", e);
        }
    }

    /** The settings page; {@code newToken} is shown once, right after it was made, under {@code said}. */
    void settings(Context ctx, Refused refused, String newToken, String said) {
        var model = base(ctx, "settings");
        Addon addon = (Addon) model.get("addon");
        var options = new HashMap<String, DumpOptions>();
        for (FoundDatabase db : addons.databases(addon.id())) {
            options.put(db.configVar(), settings.dumpOptions(addon.id(), db.configVar()));
        }
        model.put("options", options);
        BackupSchedule schedule = settings.schedule(addon.id());
        model.put("schedule", schedule);
        model.put("hours", java.util.stream.IntStream.range(0, 24).mapToObj(String::valueOf).toList());
        model.put("weekdays", Arrays.stream(DayOfWeek.values()).map(Dashboard::dayName).toList());
        model.put("weeklyDay", dayName(schedule.weeklyDay()));
        model.put("notify", notifications.current(addon.id()));
        model.put("apiEnabled", apiTokens.enabled(addon.id()));
        model.put("newToken", newToken);
        model.put("publicUrl", publicUrl());
        if (said != null) {
            model.put("flash", said);
        }
        model.put("releaseScript", RELEASE_SCRIPT);
        model.put("snapshotAfterRelease", settings.snapshotAfterRelease(addon.id()));
        model.put("encryptionRecipient", addons.encryptionRecipient(addon.id()).orElse(null));
        model.put("plans", io.autobus.addon.Plan.values());
        var forms = new ArrayList<>(List.of("schedule", "after-release", "notifications", "encryption"));
        options.keySet().forEach(configVar -> forms.add("options:" + configVar));
        refused.shownOn(forms);
        model.put("refused", refused);
        pages.render(ctx, status(refused), "settings", model);
    }

    private Map<String, Object> base(Context ctx, String tab) {
        var session = sessions.current(ctx).orElseThrow(() -> new UnauthorizedResponse(
                "Please open the Autobus dashboard through Heroku: run heroku addons:open autobus, "
                        + "or pick Autobus in your app's Resources tab on the Heroku Dashboard."));
        Addon addon = addons.find(session.addonId()).orElseThrow(() -> new UnauthorizedResponse(
                "This Autobus add-on was removed. Run heroku addons:open autobus for another one."));
        if (addon.accessState() != AccessState.ACTIVE && "snapshots".equals(tab) && recheckDue(addon)) {
            addon = accessChecker.check(addon.id()).orElse(addon);
        }
        var model = new HashMap<String, Object>();
        model.put("tab", tab);
        model.put("addon", addon);
        model.put("email", session.email());
        model.put("plan", addon.plan());
        model.put("state", addon.accessState().dbValue());
        model.put("databases", addons.databases(addon.id()));
        model.put("collaboratorEmail", collaboratorEmail);
        model.put("csrf", sessions.csrfToken(ctx));
        return model;
    }

    private static int status(Refused refused) {
        return refused == Refused.NONE ? 200 : 422;
    }

    /** The address customers call the API at, without a trailing slash. */
    private String publicUrl() {
        String url = publicUrl.toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Each running snapshot's progress, by id. */
    private Map<String, ProgressEstimate> progressOfRunning(List<Snapshot> all) {
        var progress = new HashMap<String, ProgressEstimate>();
        for (Snapshot snapshot : all) {
            var estimate = ProgressEstimate.of(snapshot, clock.instant());
            if (estimate != null) {
                progress.put(snapshot.id(), estimate);
            }
        }
        return progress;
    }

    private static String dayName(DayOfWeek day) {
        return day.getDisplayName(TextStyle.FULL, Locale.ENGLISH);
    }

    private boolean recheckDue(Addon addon) {
        return addon.accessCheckedAt() == null || addon.accessCheckedAt().plus(RECHECK_AFTER).isBefore(clock.instant());
    }
}
