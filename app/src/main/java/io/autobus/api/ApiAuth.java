package io.autobus.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.autobus.crypto.Tokens;
import io.autobus.http.BasicCredentials;
import io.autobus.http.JsonBodies;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UnauthorizedResponse;
import java.util.Locale;
import java.util.UUID;

/**
 * Who calls the API: the {@code token} parameter (query string or JSON body, as the seed shows),
 * {@code Authorization: Bearer <token>}, or HTTP Basic with the add-on key (what a client does
 * with the AUTOBUS_URL config var as is). Rate-limited per credential.
 */
public final class ApiAuth {
    static final String DISABLED = "The API is disabled; enable it on the Settings tab";

    private final ApiTokens tokens;
    private final RateLimiter limiter;
    private final JsonBodies bodies;

    public ApiAuth(ApiTokens tokens, RateLimiter limiter, JsonBodies bodies) {
        this.tokens = tokens;
        this.limiter = limiter;
        this.bodies = bodies;
    }

    /** The add-on the caller may act for; throws 401, 403 or 429 otherwise. */
    public UUID addonOf(Context ctx) {
        return holderOf(ctx).addonId();
    }

    /** As {@link #addonOf}, with what else the credential's look-up read. */
    ApiTokens.Holder holderOf(Context ctx) {
        String credential = credential(ctx);
        if (credential == null || credential.isBlank()) {
            throw new UnauthorizedResponse("A token is required: pass your API token as the token parameter "
                    + "(or Authorization: Bearer <token>).");
        }
        var holder = tokens.lookUp(credential.trim()).orElseThrow(() -> new UnauthorizedResponse("This token is not valid."));
        long wait = limiter.acquire(Tokens.sha256Hex(credential.trim()));
        if (wait > 0) {
            ctx.header("Retry-After", Long.toString(wait));
            throw new HttpResponseException(429, "Too many requests; try again in " + wait + " s.");
        }
        if (!holder.allowed()) {
            throw new ForbiddenResponse(DISABLED);
        }
        return holder;
    }

    /** The request's JSON body, or an empty object when it has none. */
    private ObjectNode body(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json") || ctx.body().isBlank()) {
            return bodies.emptyObject();
        }
        return bodies.object(ctx);
    }

    /** The request's JSON body bound to {@code type}; a wrong type, a null or an unknown field is a 422 naming it. */
    <T> T body(Context ctx, Class<T> type) {
        return bodies.bind(body(ctx), type);
    }

    /**
     * As {@link #body(Context, Class)}, where each of the record's fields may also come, as the seed
     * takes them, from the query string (which wins) or a form ({@code application/x-www-form-urlencoded}).
     */
    <T extends Record> T parameters(Context ctx, Class<T> type) {
        ObjectNode merged = body(ctx).deepCopy();
        for (String name : JsonBodies.fieldNames(type)) {
            String value = ctx.queryParam(name);
            if (value == null && !merged.has(name) && isForm(ctx)) {
                value = ctx.formParam(name);
            }
            if (value != null) {
                merged.put(name, value);
            }
        }
        return bodies.bind(merged, type);
    }

    /** The {@code token} the JSON body may carry among the request's own fields. */
    private record TokenField(@JsonProperty("token") String token) {
    }

    private String credential(Context ctx) {
        String query = ctx.queryParam("token");
        if (query != null) {
            return query;
        }
        String authorization = ctx.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7);
        }
        if (BasicCredentials.sent(ctx)) {
            return BasicCredentials.of(ctx).map(BasicCredentials::password).orElseThrow(() -> new UnauthorizedResponse(
                    "The Authorization header is not HTTP Basic credentials (base64 of addon:<key>)."));
        }
        String token = bodies.bindIgnoringUnknown(body(ctx), TokenField.class).token();
        return token != null ? token : ctx.formParam("token");
    }

    private static boolean isForm(Context ctx) {
        String type = ctx.contentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }
}
