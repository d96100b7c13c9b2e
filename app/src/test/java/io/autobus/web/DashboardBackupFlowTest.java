package io.autobus.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autobus.addon.AccessState;
import io.autobus.addon.AddonRepository;
import io.autobus.backup.Snapshot;
import io.autobus.backup.SnapshotRepository;
import io.autobus.backup.SnapshotStatus;
import io.autobus.support.HerokuPartner;
import io.autobus.support.DashboardSession;
import io.autobus.support.SourceDatabases;
import io.autobus.support.TestApp;
import io.autobus.support.TestDatabase;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole service, as a customer uses it: the database is found through the app's config vars
 * (Platform API fake), backed up from the dashboard by the worker, downloaded through a signed
 * link, and everything goes when the add-on is removed.
 */
class DashboardBackupFlowTest {
    private final TestApp app = TestApp.shared();
    private final UUID addonId = UUID.randomUUID();
    private final UUID appId = UUID.randomUUID();
    @TempDir
    Path downloads;

    @Test
    void a_database_found_in_config_vars_is_backed_up_from_the_dashboard_downloaded_and_removed_with_the_addon() throws Exception {
        String source = TestDatabase.create("customer");
        try (var connection = SourceDatabases.postgres(source); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE orders (id int PRIMARY KEY, total numeric)");
            statement.execute("INSERT INTO orders SELECT i, i * 2 FROM generate_series(1, 42) i");
        }
        String token = "partner-" + addonId;
        app.identity.givenGrant("grant-" + addonId, token, "refresh-" + addonId, 28799);
        app.platform.givenAddon(addonId, appId, "shop-app", token);
        app.platform.givenCollaborators(appId, "shop-app", token);
        app.platform.givenConfigVarsJson(appId, "{\"DATABASE_URL\": \"" + source + "\", \"REDIS_URL\": \"redis://h:1\"}");
        HerokuPartner.of(app).provision(addonId, "free", "grant-" + addonId);
        var addons = new AddonRepository(app.db);
        await().atMost(Duration.ofSeconds(30)).until(() -> addons.find(addonId).orElseThrow().accessState() == AccessState.ACTIVE);
        var browser = DashboardSession.open(app.http, addonId, app.clock.instant(), TestApp.SSO_SALT, "shop-app");
        String cookie = browser.cookie();

        var forged = app.http.postFormWithCookie("/dashboard/snapshots", Map.of("database", "DATABASE_URL"), cookie);
        var backupNow = browser.post("/dashboard/snapshots", Map.of("database", "DATABASE_URL"));

        assertThat(forged.statusCode()).as("a form without the session's token is refused").isEqualTo(401);
        assertThat(backupNow.statusCode()).isEqualTo(302);
        var snapshots = new SnapshotRepository(app.db);
        await().atMost(Duration.ofSeconds(60)).until(() -> snapshots.ofAddon(addonId).stream()
                .anyMatch(s -> s.status() == SnapshotStatus.COMPLETED || s.status() == SnapshotStatus.FAILED));
        Snapshot snapshot = snapshots.ofAddon(addonId).getFirst();
        assertThat(snapshot.status()).as(String.valueOf(snapshot.error())).isEqualTo(SnapshotStatus.COMPLETED);
        await().atMost(Duration.ofSeconds(90)).until(() -> snapshots.find(snapshot.id()).orElseThrow().verification() != null
                && !"running".equals(snapshots.find(snapshot.id()).orElseThrow().verification()));
        assertThat(snapshots.find(snapshot.id()).orElseThrow().verification()).as("verified on its own, after the backup")
                .isEqualTo("verified");
        assertThat(app.http.get("/dashboard", cookie).body()).contains(snapshot.id()).contains("/dashboard/snapshots/" + snapshot.id() + "/download")
                .contains("data-verification=\"verified\"");
        var details = browser.get("/dashboard/snapshots/" + snapshot.id());
        assertThat(details.statusCode()).isEqualTo(200);
        assertThat(details.body()).contains("public.orders").contains("<td>42</td>").contains(snapshot.sha256())
                .contains("CRC32C <code>" + snapshot.storedChecksum().value() + "</code>");
        assertThat(snapshot.restoreWith()).matches("pg_restore \\d+ or newer");
        assertThat(details.body()).as("the restore command names the client version")
                .contains("<strong id=\"restore-with\">" + snapshot.restoreWith() + "</strong>").contains(snapshot.dumpTool());

        var redirect = app.http.get("/dashboard/snapshots/" + snapshot.id() + "/download", cookie);
        assertThat(redirect.statusCode()).isEqualTo(302);
        String link = redirect.headers().firstValue("Location").orElseThrow();
        assertThat(link).startsWith(TestApp.PUBLIC_URL + "/downloads/");
        Path file = downloads.resolve(snapshot.fileName());
        String disposition = SourceDatabases.download(URI.create(link.replace(TestApp.PUBLIC_URL, app.http.baseUrl())), file);
        assertThat(disposition).contains(snapshot.fileName());
        assertThat(Files.size(file)).isEqualTo(snapshot.sizeBytes());
        assertThat(SourceDatabases.run(List.of("pg_restore", "--list", file.toString())).output()).contains("TABLE public orders");
        assertThat(app.http.get("/dashboard/snapshots/" + snapshot.id() + "/download", null).statusCode())
                .as("no session, no download").isEqualTo(401);

        Path stored = app.settings.storageDir().resolve(snapshot.storageKey());
        assertThat(stored).exists();
        assertThat(HerokuPartner.of(app).deprovision(addonId.toString()).statusCode()).isEqualTo(204);
        assertThat(stored).doesNotExist();
        assertThat(snapshots.find(snapshot.id())).isEmpty();
    }
}
