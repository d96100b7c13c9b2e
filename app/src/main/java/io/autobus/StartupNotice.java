package io.autobus;

import io.autobus.config.Settings;
import java.io.PrintStream;
import java.util.UUID;

/**
 * What a developer needs to try a fresh install: the generated credentials and a first request.
 * Only secrets that were generated on this machine are printed, never ones from the environment.
 */
final class StartupNotice {
    private StartupNotice() {
    }

    static void print(Settings settings, int port, PrintStream out) {
        out.println();
        out.println("Autobus is running" + (port > 0 ? " on http://localhost:" + port : " (worker only)") + ".");
        if (settings.embeddedDatabase()) {
            out.println("  Metadata: embedded PostgreSQL in " + settings.home().resolve("postgres")
                    + " (set DATABASE_URL to use your own).");
        }
        if (settings.herokuApiKey().isEmpty()) {
            out.println("  HEROKU_API_KEY is not set: add-ons will wait for access to their app's config vars.");
        }
        if (settings.herokuOauthSecret().isEmpty()) {
            out.println("  HEROKU_OAUTH_SECRET is not set: provisioning grants cannot be exchanged.");
        }
        if (!settings.generatedSecrets().isEmpty()) {
            out.println("  Development secrets (generated once, kept in " + settings.home().resolve("dev-secrets.properties") + "):");
            if (settings.generatedSecrets().contains(Settings.PASSWORD)) {
                out.println("    partner API user " + settings.addonId() + ", password " + settings.password());
            }
            if (settings.generatedSecrets().contains(Settings.SSO_SALT)) {
                out.println("    SSO salt " + settings.ssoSalt());
            }
            if (settings.generatedSecrets().contains(Settings.PASSWORD) && port > 0) {
                out.println("  Try a provision:");
                out.println("    curl -u " + settings.addonId() + ":" + settings.password() + " -H 'Content-Type: application/json' \\");
                out.println("      -d '{\"uuid\":\"" + UUID.randomUUID() + "\",\"plan\":\"free\",\"region\":\"amazon-web-services::us-east-1\","
                        + "\"oauth_grant\":{\"code\":\"dev\"}}' http://localhost:" + port + "/heroku/resources");
            }
        }
        out.flush();
    }
}
