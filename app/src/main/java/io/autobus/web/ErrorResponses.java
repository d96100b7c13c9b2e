package io.autobus.web;

import io.autobus.http.TitledResponse;
import io.autobus.web.ErrorPage;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One place that turns failures into answers: {@code {"message": ...}} JSON for machine routes
 * (the partner API and the REST API), a readable page for browsers. Never a stack trace.
 */
public final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private final ErrorPage page;

    public ErrorResponses(ErrorPage page) {
        this.page = page;
    }

    public void register(RoutesConfig routes) {
        routes.exception(HttpResponseException.class, (e, ctx) -> respond(ctx, e.getStatus(),
                e instanceof TitledResponse titled ? titled.title() : ErrorPage.title(e.getStatus()), e.getMessage()));
        routes.exception(Exception.class, (e, ctx) -> {
            String reference = UUID.randomUUID().toString().substring(0, 8);
            LOG.error("event=request_failed reference={} method={} path={}", reference, ctx.method(), ctx.path(), e);
            respond(ctx, 500, ErrorPage.title(500),
                    "Please try again; if it persists, contact support@autobus.io with reference " + reference + ".");
        });
        routes.error(404, ctx -> {
            if (ctx.resultInputStream() == null) {
                respond(ctx, 404, ErrorPage.title(404), "There is nothing at " + ctx.path() + ".");
            }
        });
        routes.error(405, ctx -> {
            if (ctx.resultInputStream() == null) {
                respond(ctx, 405, ErrorPage.title(405), ctx.method() + " is not allowed on " + ctx.path() + ".");
            }
        });
    }

    private void respond(Context ctx, int status, String title, String message) {
        if (machineRoute(ctx)) {
            ctx.status(status).json(Map.of("message", status >= 500 ? title + ". " + message : message));
        } else {
            page.show(ctx, status, title, message);
        }
    }

    private static boolean machineRoute(Context ctx) {
        String path = ctx.path();
        return path.startsWith("/heroku/") || path.startsWith("/api/") || path.equals("/health");
    }
}
