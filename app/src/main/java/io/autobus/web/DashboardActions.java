package io.autobus.web;

import io.autobus.backup.DatabaseAttacher;
import io.autobus.backup.ManualSnapshots;
import io.autobus.backup.SnapshotRepository;
import io.autobus.backup.SnapshotStatus;
import io.autobus.storage.SnapshotStores;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.http.UnprocessableContentResponse;
import java.util.UUID;

/** What a customer does from the dashboard: back up now, attach a database, download a snapshot. */
public final class DashboardActions {
    private static final String SIGN_IN = "Your session has ended. Open the dashboard again with: heroku addons:open autobus";

    private final WebSessions sessions;
    private final ManualSnapshots manualSnapshots;
    private final DatabaseAttacher attacher;
    private final SnapshotRepository snapshots;
    private final SnapshotStores stores;

    public DashboardActions(WebSessions sessions, ManualSnapshots manualSnapshots, DatabaseAttacher attacher,
                            SnapshotRepository snapshots, SnapshotStores stores) {
        this.sessions = sessions;
        this.manualSnapshots = manualSnapshots;
        this.attacher = attacher;
        this.snapshots = snapshots;
        this.stores = stores;
    }

    /** {@code POST /dashboard/snapshots} */
    public void takeSnapshot(Context ctx) {
        UUID addonId = formSession(ctx);
        try {
            manualSnapshots.take(addonId, ctx.formParam("database"), ctx.formParam("description"));
        } catch (IllegalArgumentException e) {
            throw new UnprocessableContentResponse(e.getMessage());
        }
        ctx.redirect("/dashboard#snapshots");
    }

    /** {@code POST /dashboard/databases} */
    public void attachDatabase(Context ctx) {
        UUID addonId = formSession(ctx);
        try {
            attacher.attach(addonId, ctx.formParam("name"), ctx.formParam("url"));
        } catch (IllegalArgumentException e) {
            throw new UnprocessableContentResponse("This database cannot be attached: " + e.getMessage());
        }
        ctx.redirect("/dashboard#databases");
    }

    /** {@code GET /dashboard/snapshots/{id}/download}: to a link valid for 30 minutes. */
    public void download(Context ctx) {
        UUID addonId = sessions.current(ctx).orElseThrow(() -> new UnauthorizedResponse(SIGN_IN)).addonId();
        var snapshot = snapshots.find(ctx.pathParam("id"))
                .filter(s -> s.addonId().equals(addonId) && s.status() == SnapshotStatus.COMPLETED)
                .orElseThrow(() -> new NotFoundResponse("No such snapshot."));
        ctx.redirect(stores.byRegion(snapshot.storageRegion()).downloadUrl(snapshot.storageKey(), snapshot.fileName()).toString());
    }

    private UUID formSession(Context ctx) {
        return sessions.currentForForm(ctx).orElseThrow(() -> new UnauthorizedResponse(SIGN_IN)).addonId();
    }
}
