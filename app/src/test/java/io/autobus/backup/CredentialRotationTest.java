package io.autobus.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autobus.addon.AccessState;
import io.autobus.dump.DatabaseStatistics.TableStatistics;
import io.autobus.support.BackupHarness;
import io.autobus.support.HerokuPartner;
import io.autobus.support.SourceDatabases;
import io.autobus.support.TestDatabase;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Heroku rotates database credentials; every run reads the config var afresh, so the next one just works. */
class CredentialRotationTest {
    private final BackupHarness harness = new BackupHarness();

    @Test
    void a_run_after_the_credentials_changed_reads_the_new_config_var_and_succeeds() throws Exception {
        UUID addonId = UUID.randomUUID();
        UUID appId = UUID.randomUUID();
        String before = database("before_rotation", 3);
        String after = database("after_rotation", 5);
        var app = harness.app;
        app.identity.givenGrant("grant-" + addonId, "token-" + addonId, "refresh-" + addonId, 28799);
        app.platform.givenAddon(addonId, appId, "rotating-app", "token-" + addonId);
        app.platform.givenCollaborators(appId, "rotating-app", "token-" + addonId);
        app.platform.givenConfigVarsJson(appId, "{\"DATABASE_URL\": \"" + before + "\"}");
        HerokuPartner.of(app).provision(addonId, "free", "grant-" + addonId);
        await().atMost(Duration.ofSeconds(30)).until(() -> harness.addons.find(addonId).orElseThrow().accessState() == AccessState.ACTIVE);

        Snapshot first = harness.backup(addonId, "DATABASE_URL");
        app.platform.givenConfigVarsJson(appId, "{\"DATABASE_URL\": \"" + after + "\"}");
        try (var admin = SourceDatabases.postgres(TestDatabase.create("admin")); var statement = admin.createStatement()) {
            statement.execute("DROP DATABASE " + before.substring(before.lastIndexOf('/') + 1) + " WITH (FORCE)");
        }
        app.clock.advance(Duration.ofDays(1));
        Snapshot second = harness.backup(addonId, "DATABASE_URL");

        assertThat(first.status()).isEqualTo(SnapshotStatus.COMPLETED);
        assertThat(second.status()).as(String.valueOf(second.error())).isEqualTo(SnapshotStatus.COMPLETED);
        assertThat(harness.snapshots.tables(second.id())).extracting(TableStatistics::rows).containsExactly(5L);
    }

    private static String database(String prefix, int rows) throws Exception {
        String url = TestDatabase.create(prefix);
        try (var connection = SourceDatabases.postgres(url); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (id int PRIMARY KEY)");
            statement.execute("INSERT INTO t SELECT generate_series(1, " + rows + ")");
        }
        return url;
    }
}
