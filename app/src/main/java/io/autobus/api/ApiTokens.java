package io.autobus.api;

import static io.autobus.db.generated.Tables.ADDON;

import io.autobus.crypto.Tokens;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The credentials of the REST API: the personal token (off by default, as the seed says; stored
 * as a hash, shown once; regenerating revokes the old one), and the add-on's own key from its
 * AUTOBUS_URL config var, which the CLI plugin uses and which always works.
 */
public final class ApiTokens {
    private final DSLContext dsl;

    public ApiTokens(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * Whose credential this is, whether the API accepts it now, and the count of changes to the
     * add-on's snapshots (for {@link RenderedLists}).
     */
    public record Holder(UUID addonId, boolean allowed, long snapshotsVersion) {
    }

    /** One indexed read: the API runs it on every request. */
    public Optional<Holder> lookUp(String credential) {
        String hash = Tokens.sha256Hex(credential);
        var byKey = DSL.field(ADDON.API_KEY_HASH.eq(hash));
        return dsl.select(ADDON.ID, byKey, ADDON.API_ENABLED, ADDON.SNAPSHOTS_VERSION)
                .from(ADDON)
                .where(ADDON.API_KEY_HASH.eq(hash).or(ADDON.API_TOKEN_HASH.eq(hash)))
                .fetchOptional(r -> new Holder(r.value1(), r.value2() || r.value3(), r.value4()));
    }

    public boolean enabled(UUID addonId) {
        return dsl.select(ADDON.API_ENABLED).from(ADDON).where(ADDON.ID.eq(addonId)).fetchSingle(ADDON.API_ENABLED);
    }

    /** Turns the token API on or off; the first time it is turned on, a token is made and returned (once). */
    public Optional<String> enable(UUID addonId, boolean on) {
        boolean hasToken = dsl.select(ADDON.API_TOKEN_HASH).from(ADDON).where(ADDON.ID.eq(addonId)).fetchSingle(ADDON.API_TOKEN_HASH) != null;
        dsl.update(ADDON).set(ADDON.API_ENABLED, on).where(ADDON.ID.eq(addonId)).execute();
        return on && !hasToken ? Optional.of(regenerate(addonId)) : Optional.empty();
    }

    /** A new token; the old one stops working at once. Returned once, never stored in clear. */
    public String regenerate(UUID addonId) {
        String token = Tokens.random();
        dsl.update(ADDON).set(ADDON.API_TOKEN_HASH, Tokens.sha256Hex(token)).where(ADDON.ID.eq(addonId)).execute();
        return token;
    }
}
