package io.autobus.addon;

import io.autobus.crypto.SecretBox;
import io.autobus.crypto.Tokens;
import io.autobus.heroku.PartnerTokenProvider;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the add-on Heroku asks for, once: a repeated or concurrent request for the same uuid
 * finds the first one's row and answers with its key. The first access check is queued at once,
 * because the OAuth grant must be exchanged within minutes.
 */
public final class AddonProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(AddonProvisioner.class);

    private final AddonRepository addons;
    private final SecretBox secrets;
    private final PartnerTokenProvider partnerTokens;
    private final AccessCheckQueue accessChecks;
    private final Clock clock;

    public AddonProvisioner(AddonRepository addons, SecretBox secrets, PartnerTokenProvider partnerTokens,
                            AccessCheckQueue accessChecks, Clock clock) {
        this.addons = addons;
        this.secrets = secrets;
        this.partnerTokens = partnerTokens;
        this.accessChecks = accessChecks;
        this.clock = clock;
    }

    /** The add-on and the API key that goes into its AUTOBUS_URL. */
    public record Provisioned(UUID id, String apiKey) {
        @Override
        public String toString() {
            return "Provisioned[id=" + id + "]";
        }
    }

    public Provisioned provision(Provisioning request) {
        Instant now = clock.instant();
        String apiKey = Tokens.random();
        boolean created = addons.insertIfAbsent(new AddonRepository.NewAddon(
                request.id(), request.name(), request.plan(), request.region(), request.callbackUrl(),
                Tokens.sha256Hex(apiKey), secrets.seal(apiKeyPurpose(request.id()), apiKey),
                partnerTokens.sealGrant(request.id(), request.oauthGrantCode()), now));
        if (created) {
            LOG.info("event=provisioned addon={} plan={} region={}", request.id(), request.plan().slug(), request.region());
            accessChecks.enqueue(request.id(), now);
        } else {
            LOG.info("event=provision_repeated addon={}", request.id());
        }
        byte[] stored = addons.sealedApiKey(request.id()).orElseThrow();
        return new Provisioned(request.id(), secrets.open(apiKeyPurpose(request.id()), stored));
    }

    static String apiKeyPurpose(UUID addonId) {
        return "api-key:" + addonId;
    }
}
