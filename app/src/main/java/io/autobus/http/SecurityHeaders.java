package io.autobus.http;

import io.javalin.http.Context;

/**
 * Headers on every answer: no framing (clickjacking), no content sniffing, no script at all
 * (the pages need none: progress follows by meta refresh, charts are inline SVG), forms only
 * back to us, and no referrer beyond our own pages (download links carry signatures).
 */
public final class SecurityHeaders {
    static final String POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private SecurityHeaders() {
    }

    public static void apply(Context ctx) {
        ctx.header("Content-Security-Policy", POLICY);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
    }
}
