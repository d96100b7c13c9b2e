package io.autobus.web;

import io.autobus.crypto.Tokens;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * What an action tells the next page the customer sees ("Schedule saved: ..."), shown once and
 * gone on reload. It travels in a short-lived cookie signed with the session's own secret id, so
 * only this session's own actions put words there, never a link or another site.
 */
public final class Flash {
    static final String COOKIE = "autobus_flash";
    private static final int LIFETIME_SECONDS = 60;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final boolean secureCookies;

    public Flash(boolean secureCookies) {
        this.secureCookies = secureCookies;
    }

    /** Leaves {@code message} for the next page of this session. */
    public void say(Context ctx, String message) {
        String session = ctx.cookie(WebSessions.COOKIE);
        if (session == null || session.isBlank()) {
            return;
        }
        String text = ENCODER.encodeToString(message.getBytes(StandardCharsets.UTF_8));
        ctx.cookie(cookie(text + "." + signature(session, text), LIFETIME_SECONDS));
    }

    /** The message left for this page, if any; it is not shown again. */
    public Optional<String> take(Context ctx) {
        String value = ctx.cookie(COOKIE);
        if (value == null) {
            return Optional.empty();
        }
        ctx.cookie(cookie("", 0));
        String session = ctx.cookie(WebSessions.COOKIE);
        int dot = value.indexOf('.');
        if (session == null || session.isBlank() || dot < 0) {
            return Optional.empty();
        }
        String text = value.substring(0, dot);
        byte[] sent = value.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(sent, signature(session, text).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String signature(String session, String text) {
        return ENCODER.encodeToString(Tokens.hmacSha256(("flash:" + session).getBytes(StandardCharsets.UTF_8),
                text.getBytes(StandardCharsets.US_ASCII)));
    }

    private Cookie cookie(String value, int maxAge) {
        return new Cookie(COOKIE, value, "/", maxAge, secureCookies, true, null, SameSite.LAX);
    }
}
