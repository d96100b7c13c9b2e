package io.autobus.web;

import io.autobus.addon.AddonRepository;
import io.autobus.backup.ProgressEstimate;
import io.autobus.backup.SnapshotRepository;
import io.autobus.restore.Restore;
import io.autobus.restore.RestoreRepository;
import io.autobus.restore.RestoreStatus;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.time.Clock;

/**
 * {@code GET /dashboard/restores/{restore_id}}: one of the add-on's restores, followed (the page
 * refreshes itself while it waits or runs) to its result: each table's rows beside the
 * snapshot's, where they went, the snapshot taken first, or the error.
 */
public final class RestorePage {
    private final WebSessions sessions;
    private final RestoreRepository restores;
    private final SnapshotRepository snapshots;
    private final AddonRepository addons;
    private final Pages pages;
    private final Clock clock;

    public RestorePage(WebSessions sessions, RestoreRepository restores, SnapshotRepository snapshots, AddonRepository addons,
                       Pages pages, Clock clock) {
        this.sessions = sessions;
        this.restores = restores;
        this.snapshots = snapshots;
        this.addons = addons;
        this.pages = pages;
        this.clock = clock;
    }

    public void show(Context ctx) {
        var session = sessions.current(ctx).orElseThrow(SignedIn::required);
        Restore restore = restores.find(ctx.pathParam("restore_id")).filter(r -> r.addonId().equals(session.addonId()))
                .orElseThrow(() -> new NotFoundResponse("No such restore."));
        var model = SignedIn.model(ctx, sessions, session, addons);
        model.put("restore", restore);
        model.put("snapshot", snapshots.find(restore.snapshotId()).orElse(null));
        if (restore.status() == RestoreStatus.RUNNING) {
            model.put("progress", ProgressEstimate.of(restore.progress(), restore.startedAt(), clock.instant()));
        }
        pages.render(ctx, 200, "restore", model);
    }
}
