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
            out.println("  HEROKU_OAUTH_SECRET is not set: provisioning grants cannot be exchanged, so add-ons do not learn their app"
                    + " (said here once; access checks do not log it again).");
        }
        String addon = UUID.randomUUID().toString();
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
                out.println("      -d '{\"uuid\":\"" + addon + "\",\"plan\":\"free\",\"region\":\"amazon-web-services::us-east-1\","
                        + "\"oauth_grant\":{\"code\":\"dev\"}}' http://localhost:" + port + "/heroku/resources");
            }
        }
        if (port > 0) {
            signIn(settings, port, addon, out);
        }
        out.flush();
    }

    /** The dashboard has no password of its own: Heroku's SSO form signs people in, and here a curl plays Heroku. */
    private static void signIn(Settings settings, int port, String addon, PrintStream out) {
        out.println("  Dashboard: signed in through Heroku SSO (on Heroku: heroku addons:open autobus).");
        if (settings.generatedSecrets().contains(Settings.SSO_SALT)) {
            out.println("  Here, sign in as Heroku would, to the add-on provisioned above:");
            out.println("    T=$(date +%s); TOKEN=$(printf '%s' \"" + addon + ":" + settings.ssoSalt() + ":$T\" | sha1sum | cut -d' ' -f1)");
            out.println("    curl -i -d \"resource_id=" + addon + "&timestamp=$T&resource_token=$TOKEN&email=me@example.com&app=my-app\" \\");
            out.println("      http://localhost:" + port + "/sso/login");
            out.println("  It answers 302 to /dashboard with the session cookie (README: \"Trying it by hand\").");
        } else {
            out.println("  Here, POST Heroku's SSO form to http://localhost:" + port + "/sso/login: resource_id, timestamp and"
                    + " resource_token = sha1(resource_id:AUTOBUS_SSO_SALT:timestamp) (README: \"Trying it by hand\").");
        }
    }
}
