package io.autobus.web;

import io.autobus.heroku.SsoTokenVerifier;
import io.autobus.addon.AddonRepository;
import io.autobus.web.WebSessions;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.time.Clock;
import java.util.UUID;

/** {@code POST /sso/login}: Heroku's single sign-on form, from {@code heroku addons:open autobus}. */
public final class SsoLogin {
    private final SsoTokenVerifier verifier;
    private final AddonRepository addons;
    private final WebSessions sessions;
    private final Clock clock;

    public SsoLogin(SsoTokenVerifier verifier, AddonRepository addons, WebSessions sessions, Clock clock) {
        this.verifier = verifier;
        this.addons = addons;
        this.sessions = sessions;
        this.clock = clock;
    }

    public void login(Context ctx) {
        // v3 manifests send resource_id/resource_token; older ones id/token.
        String resourceId = firstOf(ctx, "resource_id", "id");
        verifier.verify(resourceId, ctx.formParam("timestamp"), firstOf(ctx, "resource_token", "token"));
        UUID addonId = addonId(resourceId);
        if (addons.find(addonId).isEmpty()) {
            throw new NotFoundResponse("This Autobus add-on does not exist (any more).");
        }
        String app = ctx.formParam("app");
        if (app != null && !app.isBlank()) {
            addons.recordAppNameIfUnknown(addonId, app, clock.instant());
        }
        sessions.start(ctx, addonId, ctx.formParam("email"), ctx.formParam("user_id"));
        ctx.redirect("/dashboard");
    }

    private static UUID addonId(String resourceId) {
        try {
            return UUID.fromString(resourceId);
        } catch (IllegalArgumentException e) {
            throw new NotFoundResponse("This Autobus add-on does not exist.");
        }
    }

    private static String firstOf(Context ctx, String name, String legacyName) {
        String value = ctx.formParam(name);
        return value != null ? value : ctx.formParam(legacyName);
    }
}
