package io.autobus.web;

import io.autobus.addon.AddonRepository;
import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;
import java.util.HashMap;
import java.util.Map;

/** What the dashboard's pages share: the answer without a live session, and the model a page of the Snapshots tab starts from. */
final class SignedIn {
    private static final String SIGN_IN = "Your session has ended. Open the dashboard again with: heroku addons:open autobus";

    private SignedIn() {
    }

    /** The answer to a page or form without a live session (or, for a form, without its token). */
    static UnauthorizedResponse required() {
        return new UnauthorizedResponse(SIGN_IN);
    }

    /** Who is signed in, to which add-on, and the forms' token. */
    static Map<String, Object> model(Context ctx, WebSessions sessions, WebSessions.WebSession session, AddonRepository addons) {
        var model = new HashMap<String, Object>();
        model.put("tab", "snapshots");
        model.put("addon", addons.find(session.addonId()).orElse(null));
        model.put("email", session.email());
        model.put("csrf", sessions.csrfToken(ctx));
        return model;
    }
}
