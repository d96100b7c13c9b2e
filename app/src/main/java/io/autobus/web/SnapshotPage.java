package io.autobus.web;

import io.autobus.backup.Snapshot;
import io.autobus.backup.SnapshotChanges;
import io.autobus.backup.SnapshotRepository;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UnauthorizedResponse;
import java.util.HashMap;
import java.util.List;

/**
 * {@code GET /dashboard/snapshots/{id}}: one snapshot's statistics and how the database changed
 * since the snapshot before it (the seed's "monitor the changes in your database day by day").
 */
public final class SnapshotPage {
    private final WebSessions sessions;
    private final SnapshotRepository snapshots;
    private final Pages pages;

    public SnapshotPage(WebSessions sessions, SnapshotRepository snapshots, Pages pages) {
        this.sessions = sessions;
        this.snapshots = snapshots;
        this.pages = pages;
    }

    public void show(Context ctx) {
        var session = sessions.current(ctx).orElseThrow(() -> new UnauthorizedResponse(
                "Your session has ended. Open the dashboard again with: heroku addons:open autobus"));
        Snapshot snapshot = snapshots.find(ctx.pathParam("id"))
                .filter(s -> s.addonId().equals(session.addonId()))
                .orElseThrow(() -> new NotFoundResponse("No such snapshot."));
        var previous = snapshots.previousCompleted(snapshot);
        var changes = SnapshotChanges.between(previous.map(Snapshot::databaseSizeBytes).orElse(null),
                previous.map(p -> snapshots.tables(p.id())).orElse(List.of()),
                snapshot.databaseSizeBytes(), snapshots.tables(snapshot.id()));
        var model = new HashMap<String, Object>();
        model.put("snapshot", snapshot);
        model.put("previous", previous.orElse(null));
        model.put("changes", changes);
        model.put("email", session.email());
        pages.render(ctx, 200, "snapshot", model);
    }
}
