package io.autobus.web;

import io.autobus.addon.AddonRepository;
import io.autobus.addon.FoundDatabase;
import io.autobus.backup.ProgressEstimate;
import io.autobus.backup.Snapshot;
import io.autobus.backup.SnapshotChanges;
import io.autobus.backup.SnapshotRepository;
import io.autobus.backup.SnapshotStatus;
import io.autobus.storage.SnapshotStores;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /dashboard/snapshots/{id}}: one snapshot (how far it is, while it runs), its
 * statistics and how the database changed since the snapshot before it, and the seed's restore
 * commands filled in; and the confirmation page before deleting it.
 */
public final class SnapshotPage {
    private final WebSessions sessions;
    private final SnapshotRepository snapshots;
    private final AddonRepository addons;
    private final SnapshotStores stores;
    private final Pages pages;
    private final Clock clock;

    public SnapshotPage(WebSessions sessions, SnapshotRepository snapshots, AddonRepository addons, SnapshotStores stores, Pages pages,
                        Clock clock) {
        this.sessions = sessions;
        this.snapshots = snapshots;
        this.addons = addons;
        this.stores = stores;
        this.pages = pages;
        this.clock = clock;
    }

    public void show(Context ctx) {
        var model = model(ctx);
        Snapshot snapshot = (Snapshot) model.get("snapshot");
        var previous = snapshots.previousCompleted(snapshot);
        model.put("previous", previous.orElse(null));
        model.put("changes", SnapshotChanges.sincePrevious(snapshots, snapshot));
        var database = addons.databaseEntry(snapshot.addonId(), snapshot.configVar()).map(AddonRepository.DatabaseEntry::database);
        database.ifPresent(found -> model.put("database", found));
        model.put("restoreCommand", io.autobus.backup.RestoreCommands.yourself(snapshot, database.map(FoundDatabase::host).orElse(null),
                database.map(FoundDatabase::databaseName).orElse(null)));
        model.put("progress", ProgressEstimate.of(snapshot, clock.instant()));
        if (snapshot.status() == SnapshotStatus.COMPLETED) {
            model.put("downloadUrl", stores.byRegion(snapshot.storageRegion()).downloadUrl(snapshot.storageKey(), snapshot.fileName()));
        }
        pages.render(ctx, 200, "snapshot", model);
    }

    /** {@code GET /dashboard/snapshots/{id}/delete} */
    public void confirmDelete(Context ctx) {
        pages.render(ctx, 200, "delete", model(ctx));
    }

    private Map<String, Object> model(Context ctx) {
        var session = sessions.current(ctx).orElseThrow(SignedIn::required);
        Snapshot snapshot = snapshots.find(ctx.pathParam("id"))
                .filter(s -> s.addonId().equals(session.addonId()))
                .orElseThrow(() -> new NotFoundResponse("No such snapshot."));
        var model = SignedIn.model(ctx, sessions, session, addons);
        model.put("snapshot", snapshot);
        return model;
    }
}
