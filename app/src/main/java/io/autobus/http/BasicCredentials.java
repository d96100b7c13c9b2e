package io.autobus.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * {@code Authorization: Basic} credentials, read without trusting the header: a value that is not
 * base64 of {@code user:password} counts as no credentials (a 401), never as a failure of ours.
 */
public record BasicCredentials(String user, String password) {
    private static final String PREFIX = "Basic ";

    /** True when the request carries an {@code Authorization: Basic} header, readable or not. */
    public static boolean sent(Context ctx) {
        String header = ctx.header("Authorization");
        return header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /** The credentials, or empty when there is no Basic header or it cannot be read. */
    public static Optional<BasicCredentials> of(Context ctx) {
        if (!sent(ctx)) {
            return Optional.empty();
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(ctx.header("Authorization").substring(PREFIX.length()).trim());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String pair = new String(decoded, StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        return colon < 0 ? Optional.empty() : Optional.of(new BasicCredentials(pair.substring(0, colon), pair.substring(colon + 1)));
    }
}
