package io.autobus.http;

import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;

/** Refuses bodies over the limit before reading them; Javalin enforces the same limit on chunked bodies. */
public final class RequestLimits {
    public static final long MAX_BODY_BYTES = 64 * 1024;

    private RequestLimits() {
    }

    public static void checkBodySize(Context ctx) {
        if (ctx.contentLength() > MAX_BODY_BYTES) {
            throw new ContentTooLargeResponse("The request body is larger than " + MAX_BODY_BYTES / 1024 + " KiB.");
        }
    }
}
