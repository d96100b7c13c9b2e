package io.autobus.http;

import io.javalin.http.ContentTooLargeResponse;
import java.io.IOException;
import java.io.OutputStream;
import io.javalin.http.Context;

/**
 * Refuses bodies over the limit; Javalin enforces the same limit on chunked bodies. A moderately
 * large body is read and discarded first: answering while the client is still sending makes the
 * connection reset, and the client would never see the 413.
 */
public final class RequestLimits {
    public static final long MAX_BODY_BYTES = 64 * 1024;
    private static final long DRAINED_AT_MOST = 4 * 1024 * 1024;

    private RequestLimits() {
    }

    public static void checkBodySize(Context ctx) {
        long length = ctx.contentLength();
        if (length > MAX_BODY_BYTES) {
            if (length <= DRAINED_AT_MOST) {
                try {
                    ctx.req().getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // the client went away; nothing to answer
                }
            }
            throw new ContentTooLargeResponse("The request body is larger than " + MAX_BODY_BYTES / 1024 + " KiB.");
        }
    }
}
