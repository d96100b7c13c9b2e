package io.autobus.heroku;

import static io.autobus.db.generated.Tables.ADDON;

import io.autobus.crypto.SecretBox;
import io.autobus.crypto.Tokens;
import io.autobus.heroku.HerokuIdentityClient.TokenGrant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.UUID;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The add-on's partner token for the Platform API: exchanges the provisioning grant the first
 * time, refreshes the token shortly before it expires, and keeps both tokens sealed. The add-on's
 * token is locked meanwhile (a transaction's advisory lock), so two workers never spend the same
 * single-use grant; its row is not, so a plan change or a deprovision does not wait for Heroku's
 * OAuth server, which may take up to a minute of retries.
 */
public final class PartnerTokenProvider {
    private static final Logger LOG = LoggerFactory.getLogger(PartnerTokenProvider.class);
    private static final Duration REFRESH_MARGIN = Duration.ofMinutes(5);

    private final DSLContext dsl;
    private final HerokuIdentityClient identity;
    private final SecretBox secrets;
    private final Clock clock;

    public PartnerTokenProvider(DSLContext dsl, HerokuIdentityClient identity, SecretBox secrets, Clock clock) {
        this.dsl = dsl;
        this.identity = identity;
        this.secrets = secrets;
        this.clock = clock;
    }

    /** A valid access token for the add-on; throws {@link HerokuApiException} when none can be had. */
    public String accessToken(UUID addonId) {
        return dsl.transactionResult(tx -> {
            tx.dsl().fetch("SELECT pg_advisory_xact_lock(?)", lockKey(addonId));
            var row = tx.dsl().selectFrom(ADDON).where(ADDON.ID.eq(addonId)).fetchOptional()
                    .orElseThrow(() -> new HerokuApiException(404, "not_found", "add-on " + addonId + " is gone"));
            Instant now = clock.instant();
            if (row.getAccessTokenSealed() != null
                    && row.getAccessTokenExpiresAt().toInstant().isAfter(now.plus(REFRESH_MARGIN))) {
                return secrets.open(purpose("access-token", addonId), row.getAccessTokenSealed());
            }
            TokenGrant grant;
            if (row.getRefreshTokenSealed() != null) {
                grant = identity.refresh(secrets.open(purpose("refresh-token", addonId), row.getRefreshTokenSealed()));
                LOG.info("event=partner_token_refreshed addon={}", addonId);
            } else if (row.getOauthGrantSealed() != null) {
                grant = identity.exchangeGrant(secrets.open(purpose("oauth-grant", addonId), row.getOauthGrantSealed()));
                LOG.info("event=oauth_grant_exchanged addon={}", addonId);
            } else {
                throw new HerokuApiException(401, "no_grant", "Heroku gave this add-on no OAuth grant to exchange");
            }
            tx.dsl().update(ADDON)
                    .set(ADDON.ACCESS_TOKEN_SEALED, secrets.seal(purpose("access-token", addonId), grant.accessToken()))
                    .set(ADDON.REFRESH_TOKEN_SEALED, grant.refreshToken().isEmpty() ? row.getRefreshTokenSealed()
                            : secrets.seal(purpose("refresh-token", addonId), grant.refreshToken()))
                    .set(ADDON.ACCESS_TOKEN_EXPIRES_AT, now.plusSeconds(grant.expiresInSeconds()).atOffset(ZoneOffset.UTC))
                    .setNull(ADDON.OAUTH_GRANT_SEALED)
                    .where(ADDON.ID.eq(addonId))
                    .execute();
            return grant.accessToken();
        });
    }

    /** Seals the provisioning grant so it can wait for exchange. */
    public byte[] sealGrant(UUID addonId, String code) {
        return secrets.seal(purpose("oauth-grant", addonId), code);
    }

    private static long lockKey(UUID addonId) {
        return HexFormat.fromHexDigitsToLong(Tokens.sha256Hex("partner-token:" + addonId), 0, 16);
    }

    private static String purpose(String what, UUID addonId) {
        return what + ":" + addonId;
    }
}
