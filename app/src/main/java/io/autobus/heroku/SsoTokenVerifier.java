package io.autobus.heroku;

import static io.autobus.db.generated.Tables.SSO_TOKEN_USE;

import io.autobus.crypto.Tokens;
import io.javalin.http.ForbiddenResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import org.jooq.DSLContext;

/**
 * Checks Heroku's single sign-on token: sha1 of {@code resource_id:sso_salt:timestamp}, at most
 * five minutes old, and used once (a used token is remembered until it would be stale anyway).
 */
public final class SsoTokenVerifier {
    static final Duration MAX_AGE = Duration.ofMinutes(5);
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    private final String ssoSalt;
    private final DSLContext dsl;
    private final Clock clock;

    public SsoTokenVerifier(String ssoSalt, DSLContext dsl, Clock clock) {
        this.ssoSalt = ssoSalt;
        this.dsl = dsl;
        this.clock = clock;
    }

    /** Returns normally for a valid, fresh, first-used token; throws 403 otherwise. */
    public void verify(String resourceId, String timestamp, String token) {
        if (resourceId == null || timestamp == null || token == null) {
            throw new ForbiddenResponse("This login is incomplete. Open Autobus with: heroku addons:open autobus");
        }
        Instant issued;
        try {
            issued = Instant.ofEpochSecond(Long.parseLong(timestamp.trim()));
        } catch (NumberFormatException e) {
            throw new ForbiddenResponse("This login has an invalid timestamp. Open Autobus with: heroku addons:open autobus");
        }
        String expected = Tokens.sha1Hex(resourceId + ":" + ssoSalt + ":" + timestamp.trim());
        if (!Tokens.constantTimeEquals(expected, token.trim().toLowerCase(Locale.ROOT))) {
            throw new ForbiddenResponse("This login could not be verified. Open Autobus with: heroku addons:open autobus");
        }
        Instant now = clock.instant();
        if (issued.isBefore(now.minus(MAX_AGE)) || issued.isAfter(now.plus(CLOCK_SKEW))) {
            throw new ForbiddenResponse("This login has expired. Open Autobus again with: heroku addons:open autobus");
        }
        if (!firstUse(token, now)) {
            throw new ForbiddenResponse("This login was already used. Open Autobus again with: heroku addons:open autobus");
        }
    }

    private boolean firstUse(String token, Instant now) {
        dsl.deleteFrom(SSO_TOKEN_USE)
                .where(SSO_TOKEN_USE.USED_AT.lt(now.minus(MAX_AGE.plus(CLOCK_SKEW).multipliedBy(2)).atOffset(ZoneOffset.UTC)))
                .execute();
        return dsl.insertInto(SSO_TOKEN_USE)
                .set(SSO_TOKEN_USE.TOKEN_HASH, Tokens.sha256Hex(token.trim().toLowerCase(Locale.ROOT)))
                .set(SSO_TOKEN_USE.USED_AT, now.atOffset(ZoneOffset.UTC))
                .onConflictDoNothing()
                .execute() == 1;
    }
}
