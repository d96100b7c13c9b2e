package io.autobus.web;

import io.autobus.addon.AddonRepository;
import io.javalin.http.Context;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failure as a browser sees it: a heading that fits the status (or the cause), what to do, and
 * a way back; inside the dashboard, with its tabs, when someone is signed in.
 */
public final class ErrorPage {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorPage.class);
    private static final Map<Integer, String> TITLES = Map.of(
            400, "This request could not be read",
            401, "Please sign in through Heroku",
            403, "This was refused",
            404, "Not found",
            405, "Not allowed here",
            410, "This is no longer there",
            413, "This is too large",
            422, "This cannot be done",
            429, "Too many at once");

    private final WebSessions sessions;
    private final AddonRepository addons;
    private final Pages pages;

    public ErrorPage(WebSessions sessions, AddonRepository addons, Pages pages) {
        this.sessions = sessions;
        this.addons = addons;
        this.pages = pages;
    }

    /** The heading a status gets when its cause brings none of its own. */
    public static String title(int status) {
        return TITLES.getOrDefault(status, status >= 500 ? "Something went wrong on our side" : "This did not work");
    }

    /** Answers {@code status} with {@code message} under {@code title}. */
    public void show(Context ctx, int status, String title, String message) {
        Map<String, Object> model = new HashMap<>();
        try {
            var session = sessions.current(ctx);
            if (session.isPresent()) {
                model = SignedIn.model(ctx, sessions, session.get(), addons);
                model.put("tab", "");
            }
        } catch (RuntimeException e) {
            // The metadata store may be why this page is shown: answer without the session then.
            LOG.warn("event=error_page_without_session path={} error={}", ctx.path(), e.toString());
        }
        boolean signedIn = model.containsKey("email");
        model.put("status", status);
        model.put("title", title);
        model.put("message", message);
        model.put("back", back(ctx, signedIn));
        pages.render(ctx, status, "error", model);
    }

    /** Where the customer came from when that is one of our dashboard's pages, else the dashboard (or home, signed out). */
    private static String back(Context ctx, boolean signedIn) {
        String fallback = signedIn ? "/dashboard" : "/";
        String referer = ctx.header("Referer");
        if (referer == null || !signedIn) {
            return fallback;
        }
        try {
            URI from = URI.create(referer);
            String host = ctx.host();
            boolean ours = from.getRawAuthority() != null && from.getRawAuthority().equalsIgnoreCase(host);
            String path = from.getRawPath();
            if (!ours || path == null || !path.startsWith("/dashboard") || path.equals(ctx.path())) {
                return fallback;
            }
            return from.getRawQuery() == null ? path : path + "?" + from.getRawQuery();
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }
}
