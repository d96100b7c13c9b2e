package io.autobus.web;

import io.autobus.addon.AddonRepository;
import io.autobus.backup.DatabaseAttacher;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UnprocessableContentResponse;
import java.util.UUID;

/**
 * {@code /dashboard/databases/{name}/detach}: detaching a database attached by URL, after a
 * confirmation that says what happens to its snapshots (they stay until their retention ends).
 */
public final class DetachPage {
    private final WebSessions sessions;
    private final AddonRepository addons;
    private final DatabaseAttacher attacher;
    private final Flash flash;
    private final Pages pages;

    public DetachPage(WebSessions sessions, AddonRepository addons, DatabaseAttacher attacher, Flash flash, Pages pages) {
        this.sessions = sessions;
        this.addons = addons;
        this.attacher = attacher;
        this.flash = flash;
        this.pages = pages;
    }

    /** {@code GET}: the confirmation. */
    public void confirm(Context ctx) {
        var session = sessions.current(ctx).orElseThrow(SignedIn::required);
        var entry = addons.databaseEntry(session.addonId(), ctx.pathParam("name"))
                .filter(AddonRepository.DatabaseEntry::attached)
                .orElseThrow(() -> new NotFoundResponse("No attached database " + ctx.pathParam("name") + "."));
        var model = SignedIn.model(ctx, sessions, session, addons);
        model.put("database", entry.database());
        pages.render(ctx, 200, "detach", model);
    }

    /** {@code POST}, from the confirmation. */
    public void detach(Context ctx) {
        UUID addonId = sessions.currentForForm(ctx).orElseThrow(SignedIn::required).addonId();
        boolean detached;
        try {
            detached = attacher.detach(addonId, ctx.pathParam("name"));
        } catch (IllegalArgumentException e) {
            throw new UnprocessableContentResponse(e.getMessage());
        }
        if (!detached) {
            throw new NotFoundResponse("No attached database " + ctx.pathParam("name") + ".");
        }
        flash.say(ctx, "Database " + ctx.pathParam("name") + " was detached: it is no longer backed up, and its snapshots are kept"
                + " until their retention ends.");
        ctx.redirect("/dashboard#databases");
    }
}
