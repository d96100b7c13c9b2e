package io.autobus.backup;

import static io.autobus.db.generated.Tables.NOTIFICATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autobus.addon.AccessState;
import io.autobus.api.ApiTokens;
import io.autobus.heroku.HerokuRetries;
import io.autobus.support.BackupHarness;
import io.autobus.support.FakeHerokuPlatform;
import io.autobus.support.HerokuPartner;
import io.autobus.support.SourceDatabases;
import io.autobus.support.TestDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every run reads the config vars from Heroku first: a Heroku hiccup is ridden out, an outage fails the run and says so. */
class HerokuHiccupTest {
    private static final HerokuRetries.Limits QUICK = new HerokuRetries.Limits(4, Duration.ofMillis(20), Duration.ofMillis(80),
            Duration.ofSeconds(10), Duration.ofMillis(20), Duration.ofSeconds(30));

    private final BackupHarness harness = new BackupHarness(QUICK);
    private final UUID addonId = UUID.randomUUID();
    private final UUID appId = UUID.randomUUID();

    @Test
    void a_503_when_the_config_vars_are_read_is_tried_again_and_the_backup_completes() throws Exception {
        String vars = activeAddonWithDatabase();
        harness.app.platform.givenConfigVarsAfter(appId, FakeHerokuPlatform.unavailable(), vars);
        int readsBefore = harness.app.platform.configVarReadsOf(appId);

        Snapshot snapshot = harness.backup(addonId, "DATABASE_URL");

        assertThat(snapshot.status()).as(String.valueOf(snapshot.error())).isEqualTo(SnapshotStatus.COMPLETED);
        assertThat(harness.app.platform.configVarReadsOf(appId) - readsBefore).isEqualTo(2);
    }

    @Test
    void heroku_down_for_every_try_fails_the_backup_with_a_message_that_names_heroku_and_the_tries() throws Exception {
        activeAddonWithDatabase();
        harness.app.platform.givenConfigVarsFailing(appId, FakeHerokuPlatform.unavailable());
        int readsBefore = harness.app.platform.configVarReadsOf(appId);

        Snapshot snapshot = harness.backup(addonId, "DATABASE_URL");

        assertThat(snapshot.status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(snapshot.error()).matches("Heroku's Platform API answered 503 Service Unavailable 4 times over \\d+\\.\\d s .*"
                + ", so Autobus could not read the app's config vars for this run");
        assertThat(harness.app.platform.configVarReadsOf(appId) - readsBefore).isEqualTo(4);
    }

    @Test
    void the_owner_is_told_that_heroku_failed_the_backup_after_the_service_s_own_tries() throws Exception {
        activeAddonWithDatabase();
        harness.app.platform.givenConfigVarsFailing(appId, FakeHerokuPlatform.unavailable());
        String token = new ApiTokens(harness.app.db).enable(addonId, true).orElseThrow();

        var asked = harness.app.http.send("POST", "/api/snapshots?token=" + token, "{\"database\": \"DATABASE_URL\"}", Map.of());

        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
        String told = await().atMost(Duration.ofSeconds(60)).until(() -> harness.app.db.select(NOTIFICATION.BODY).from(NOTIFICATION)
                .where(NOTIFICATION.ADDON_ID.eq(addonId)).fetchOne(NOTIFICATION.BODY), body -> body != null);
        assertThat(told).contains("failed:\n\nHeroku's Platform API answered 503 Service Unavailable 4 times over ",
                ", so Autobus could not read the app's config vars for this run\n\n",
                "Autobus tries again at the next scheduled run");
    }

    /** An add-on whose app's DATABASE_URL (found in its config vars, not attached) is a small real database; returns the vars. */
    private String activeAddonWithDatabase() throws Exception {
        String url = TestDatabase.create("hiccup");
        try (var connection = SourceDatabases.postgres(url); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (id int PRIMARY KEY)");
        }
        String vars = "{\"DATABASE_URL\": \"" + url + "\"}";
        var app = harness.app;
        app.identity.givenGrant("grant-" + addonId, "token-" + addonId, "refresh-" + addonId, 28799);
        app.platform.givenAddon(addonId, appId, "hiccup-app", "token-" + addonId);
        app.platform.givenCollaborators(appId, "hiccup-app", "token-" + addonId);
        app.platform.givenConfigVarsJson(appId, vars);
        HerokuPartner.of(app).provision(addonId, "travel", "grant-" + addonId);
        await().atMost(Duration.ofSeconds(30)).until(() -> harness.addons.find(addonId).orElseThrow().accessState() == AccessState.ACTIVE);
        return vars;
    }
}
