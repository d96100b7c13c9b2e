package io.autobus.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.api.ApiTokens;
import io.autobus.support.BackupHarness;
import io.autobus.support.CapturedLogs;
import io.autobus.support.HerokuPartner;
import io.autobus.support.TestApp;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A whole flow with every log line captured: no password, token or key may appear in them. The
 * failing database is reachable, and its server's refusal names the login, which contains the
 * password: so the failure's own words must be blanked before they are logged or stored.
 */
class SecretsNotLoggedTest {
    // Also checks the attached database's row: its URL (with the password) is only stored sealed.
    @Test
    void provisioning_grant_exchange_backups_and_failures_log_no_secret() throws Exception {
        var harness = new BackupHarness();
        TestApp app = harness.app;
        UUID addonId = UUID.randomUUID();
        String grant = "grant-secret-" + addonId;
        String accessToken = "access-secret-" + addonId;
        String refreshToken = "refresh-secret-" + addonId;
        String dbPassword = "dbpass" + addonId.toString().substring(0, 8);
        try (var captured = CapturedLogs.start()) {
            app.identity.givenGrant(grant, accessToken, refreshToken, 28799);
            var provision = HerokuPartner.of(app).provision(addonId, "free", grant);
            String autobusUrl = new com.fasterxml.jackson.databind.ObjectMapper().readTree(provision.body())
                    .path("config").path("AUTOBUS_URL").asText();
            String key = java.net.URI.create(autobusUrl).getUserInfo().replaceFirst("^addon:", "");
            assertThat(key).as("the API key read from AUTOBUS_URL").hasSizeGreaterThan(20);
            String apiToken = new ApiTokens(app.db).enable(addonId, true).orElseThrow();
            // A login named after its password: "role ... does not exist" quotes it back.
            harness.attachedEarlier(addonId, "DATABASE", "postgres://user_" + dbPassword + ":" + dbPassword + "@127.0.0.1:5432/postgres");
            var failed = harness.backup(addonId, "DATABASE_URL");
            assertThat(failed.error()).as("the server refused the login, and said so").contains("does not exist")
                    .doesNotContain(dbPassword);
            app.http.send("GET", "/api/snapshots?token=" + apiToken, null, java.util.Map.of());
            app.app.accessChecker().check(addonId);

            String logs = captured.text();
            assertThat(logs).as("the flow did log").contains(addonId.toString());
            assertThat(logs).doesNotContain(grant).doesNotContain(accessToken).doesNotContain(refreshToken)
                    .doesNotContain(dbPassword).doesNotContain(key).doesNotContain(apiToken)
                    .doesNotContain(TestApp.PASSWORD).doesNotContain(TestApp.SSO_SALT);
            Object attachedRow = app.db.fetchValue("select d::text || encode(d.url_sealed, 'escape') from addon_database d where addon_id = ?", addonId);
            assertThat(String.valueOf(attachedRow)).as("an attached URL is stored sealed").doesNotContain(dbPassword).doesNotContain("127.0.0.1:5432/postgres");
        }
    }
}
