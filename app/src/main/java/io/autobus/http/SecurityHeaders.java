package io.autobus.http;

import io.javalin.http.Context;

/**
 * Headers on every answer: no framing (clickjacking), no content sniffing, no script at all
 * (the pages need none: progress follows by meta refresh, charts are inline SVG), forms only
 * back to us, and no referrer beyond our own pages (download links carry signatures). Served
 * over https, browsers are told to use nothing else for a year; signed-in pages (which show the
 * API token and the webhook secret) are never stored by a browser or a proxy.
 */
public final class SecurityHeaders {
    static final String POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    static final String HSTS = "max-age=31536000; includeSubDomains";

    private final boolean https;

    /** @param https true when the service is reached over https (AUTOBUS_PUBLIC_URL), the only time HSTS is sent */
    public SecurityHeaders(boolean https) {
        this.https = https;
    }

    public void apply(Context ctx) {
        ctx.header("Content-Security-Policy", POLICY);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        if (https) {
            ctx.header("Strict-Transport-Security", HSTS);
        }
        if (signedIn(ctx.path())) {
            ctx.header("Cache-Control", "no-store");
        }
    }

    /** The dashboard and the routes that start or end its session. */
    private static boolean signedIn(String path) {
        return path.startsWith("/dashboard") || path.equals("/sso/login") || path.equals("/logout");
    }
}
