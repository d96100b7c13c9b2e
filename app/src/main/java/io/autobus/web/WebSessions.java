package io.autobus.web;

import static io.autobus.db.generated.Tables.WEB_SESSION;

import io.autobus.crypto.Tokens;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;

/**
 * Dashboard sessions, kept in the metadata store so that any web dyno serves them. The cookie
 * carries a random id; the store only its hash.
 */
public final class WebSessions {
    static final String COOKIE = "autobus_session";
    static final Duration LIFETIME = Duration.ofHours(8);

    private final DSLContext dsl;
    private final Clock clock;
    private final boolean secureCookies;

    public WebSessions(DSLContext dsl, Clock clock, boolean secureCookies) {
        this.dsl = dsl;
        this.clock = clock;
        this.secureCookies = secureCookies;
    }

    /** Who is signed in, and to which add-on. */
    public record WebSession(UUID addonId, String email) {
    }

    public void start(Context ctx, UUID addonId, String email, String userId) {
        Instant now = clock.instant();
        dsl.deleteFrom(WEB_SESSION).where(WEB_SESSION.EXPIRES_AT.lt(now.atOffset(ZoneOffset.UTC))).execute();
        String id = Tokens.random();
        dsl.insertInto(WEB_SESSION)
                .set(WEB_SESSION.ID_HASH, Tokens.sha256Hex(id))
                .set(WEB_SESSION.ADDON_ID, addonId)
                .set(WEB_SESSION.EMAIL, email)
                .set(WEB_SESSION.USER_ID, userId)
                .set(WEB_SESSION.CREATED_AT, now.atOffset(ZoneOffset.UTC))
                .set(WEB_SESSION.EXPIRES_AT, now.plus(LIFETIME).atOffset(ZoneOffset.UTC))
                .execute();
        ctx.cookie(new Cookie(COOKIE, id, "/", (int) LIFETIME.toSeconds(), secureCookies, true, null, SameSite.LAX));
    }

    /**
     * The token the dashboard's forms carry: derived from the session cookie, which another site
     * cannot read, so a forged cross-site form cannot carry it.
     */
    public String csrfToken(Context ctx) {
        String id = ctx.cookie(COOKIE);
        return id == null ? "" : Tokens.sha256Hex("csrf:" + id);
    }

    /** The session of a form post, checked against its csrf field. */
    public Optional<WebSession> currentForForm(Context ctx) {
        return formTokenMatches(ctx) ? current(ctx) : Optional.empty();
    }

    /** True when the post carries a session cookie and the csrf field derived from it. */
    public boolean formTokenMatches(Context ctx) {
        String id = ctx.cookie(COOKIE);
        String sent = ctx.formParam("csrf");
        return id != null && !id.isBlank() && sent != null && Tokens.constantTimeEquals(sent, csrfToken(ctx));
    }

    /** Ends the session: its row goes, so the cookie opens nothing even if replayed, and the browser drops it. */
    public void end(Context ctx) {
        String id = ctx.cookie(COOKIE);
        if (id != null && !id.isBlank()) {
            dsl.deleteFrom(WEB_SESSION).where(WEB_SESSION.ID_HASH.eq(Tokens.sha256Hex(id))).execute();
        }
        ctx.cookie(new Cookie(COOKIE, "", "/", 0, secureCookies, true, null, SameSite.LAX));
    }

    public Optional<WebSession> current(Context ctx) {
        String id = ctx.cookie(COOKIE);
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        return dsl.select(WEB_SESSION.ADDON_ID, WEB_SESSION.EMAIL)
                .from(WEB_SESSION)
                .where(WEB_SESSION.ID_HASH.eq(Tokens.sha256Hex(id)))
                .and(WEB_SESSION.EXPIRES_AT.gt(clock.instant().atOffset(ZoneOffset.UTC)))
                .fetchOptional(r -> new WebSession(r.value1(), r.value2()));
    }
}
