package io.autobus.web;

import io.autobus.addon.AddonRepository;
import io.autobus.addon.FoundDatabase;
import io.autobus.backup.Snapshot;
import io.autobus.backup.SnapshotRepository;
import io.autobus.backup.SnapshotStatus;
import io.autobus.dump.DatabaseUrl;
import io.autobus.restore.Restore;
import io.autobus.restore.RestoreRequests;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UnprocessableContentResponse;
import java.util.List;

/**
 * {@code GET /dashboard/snapshots/{id}/restore}: the form that asks for a restore of a completed
 * snapshot; {@code POST} to the same path asks for it and goes on to the restore's page. A
 * refusal shows the form again, with its reason, what the customer typed, and its status.
 */
public final class RestoreForm {
    private final WebSessions sessions;
    private final SnapshotRepository snapshots;
    private final AddonRepository addons;
    private final RestoreRequests requests;
    private final Pages pages;
    private final Flash flash;

    public RestoreForm(WebSessions sessions, SnapshotRepository snapshots, AddonRepository addons, RestoreRequests requests,
                       Pages pages, Flash flash) {
        this.sessions = sessions;
        this.snapshots = snapshots;
        this.addons = addons;
        this.requests = requests;
        this.pages = pages;
        this.flash = flash;
    }

    /**
     * What the form holds.
     *
     * @param scope         {@code whole} or {@code tables}
     * @param mode          for chosen tables: {@code alongside} or {@code replace}
     * @param snapshotFirst a snapshot of the target before the restore overwrites it
     */
    public record Input(String target, String scope, List<String> tables, String mode, boolean snapshotFirst, String confirm) {

        static Input defaults(Snapshot snapshot) {
            return new Input(snapshot.configVar(), "whole", List.of(), "alongside", true, "");
        }

        static Input of(Context ctx) {
            return new Input(text(ctx, "target"), "tables".equals(ctx.formParam("scope")) ? "tables" : "whole", ctx.formParams("table"),
                    "replace".equals(ctx.formParam("mode")) ? "replace" : "alongside", ctx.formParam("snapshot_first") != null,
                    text(ctx, "confirm"));
        }

        RestoreRequests.Request request() {
            boolean chosen = scope.equals("tables");
            return new RestoreRequests.Request(target, chosen ? tables : List.of(), chosen ? mode : null, confirm, snapshotFirst);
        }

        private static String text(Context ctx, String field) {
            String value = ctx.formParam(field);
            return value == null ? "" : value.strip();
        }
    }

    public void show(Context ctx) {
        var session = sessions.current(ctx).orElseThrow(SignedIn::required);
        Snapshot snapshot = restorable(session, ctx.pathParam("id"));
        render(ctx, 200, session, snapshot, Input.defaults(snapshot), null);
    }

    public void submit(Context ctx) {
        var session = sessions.currentForForm(ctx).orElseThrow(SignedIn::required);
        Snapshot snapshot = restorable(session, ctx.pathParam("id"));
        Input input = Input.of(ctx);
        if (input.scope().equals("tables") && input.tables().isEmpty()) {
            render(ctx, 422, session, snapshot, input, "Tick the tables to restore, or choose the whole snapshot.");
            return;
        }
        try {
            Restore restore = requests.request(session.addonId(), snapshot.id(), input.request());
            flash.say(ctx, "Restore of snapshot " + snapshot.id() + " into " + restore.target() + " queued; this page follows it until it is done.");
            ctx.redirect("/dashboard/restores/" + restore.id(), HttpStatus.SEE_OTHER);
        } catch (RestoreRequests.Refused e) {
            render(ctx, e.status(), session, snapshot, input, e.getMessage());
        }
    }

    private Snapshot restorable(WebSessions.WebSession session, String id) {
        Snapshot snapshot = snapshots.find(id).filter(s -> s.addonId().equals(session.addonId()))
                .orElseThrow(() -> new NotFoundResponse("No such snapshot."));
        if (snapshot.status() != SnapshotStatus.COMPLETED) {
            throw new UnprocessableContentResponse("Snapshot " + snapshot.id() + " is " + snapshot.state() + ": there is nothing to restore.");
        }
        if (snapshot.encrypted()) {
            throw new UnprocessableContentResponse(RestoreRequests.encryptedRefusal(snapshot));
        }
        return snapshot;
    }

    private void render(Context ctx, int status, WebSessions.WebSession session, Snapshot snapshot, Input input, String refused) {
        var model = SignedIn.model(ctx, sessions, session, addons);
        var engine = DatabaseUrl.Engine.of(snapshot.engine());
        model.put("snapshot", snapshot);
        model.put("form", input);
        model.put("refused", refused);
        model.put("tables", snapshots.tables(snapshot.id()));
        model.put("postgres", engine == DatabaseUrl.Engine.POSTGRESQL);
        model.put("mysqlSuffix", io.autobus.restore.Restore.alongsideSuffix(snapshot.id()));
        model.put("targets", addons.databases(session.addonId()).stream()
                .filter(db -> DatabaseUrl.Engine.of(db.engine()) == engine).map(FoundDatabase::configVar).toList());
        pages.render(ctx, status, "restore-form", model);
    }
}
