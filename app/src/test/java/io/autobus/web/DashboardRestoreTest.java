package io.autobus.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autobus.backup.SnapshotKeys;
import io.autobus.backup.SnapshotKind;
import io.autobus.backup.SnapshotRepository;
import io.autobus.backup.SnapshotStatus;
import io.autobus.dump.DatabaseStatistics;
import io.autobus.dump.DumpProgress;
import io.autobus.restore.RestoreMode;
import io.autobus.restore.RestoreRepository;
import io.autobus.support.DashboardSession;
import io.autobus.support.SourceDatabases;
import io.autobus.support.TestApp;
import io.autobus.support.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Restores from the dashboard: the form on a completed snapshot (its tables with their rows), the
 * restore asked for through it and followed on its own page to the rows restored, a refusal shown
 * in the form with what was typed, and nobody else's restores.
 */
class DashboardRestoreTest {
    private final TestApp app = TestApp.shared();
    private final SnapshotRepository snapshots = new SnapshotRepository(app.db);
    private final RestoreRepository restores = new RestoreRepository(app.db);
    private final UUID addonId = app.provisionedAddon("travel");
    private final DashboardSession browser = DashboardSession.open(app.http, addonId, app.clock.instant(), TestApp.SSO_SALT, "shop-app");

    @Test
    void a_table_restored_alongside_from_the_form_is_followed_to_its_rows_beside_the_snapshot_s() throws Exception {
        String source = TestDatabase.create("dashboard_restore");
        try (var connection = SourceDatabases.postgres(source); var sql = connection.createStatement()) {
            sql.execute("CREATE TABLE customers (id serial PRIMARY KEY, name text)");
            sql.execute("CREATE TABLE orders (id serial PRIMARY KEY, customer_id int REFERENCES customers, total numeric)");
            sql.execute("INSERT INTO customers (name) VALUES ('a'), ('b'), ('c')");
            sql.execute("INSERT INTO orders (customer_id, total) SELECT 1 + i % 3, i FROM generate_series(1, 42) i");
        }
        app.attach(addonId, "DATABASE", source);
        String snapshot = completedSnapshot();
        try (var connection = SourceDatabases.postgres(source); var sql = connection.createStatement()) {
            sql.execute("DELETE FROM orders WHERE id > 2");
        }

        String snapshotPage = browser.get("/dashboard/snapshots/" + snapshot).body();
        var form = browser.get("/dashboard/snapshots/" + snapshot + "/restore");
        var asked = browser.post("/dashboard/snapshots/" + snapshot + "/restore", Map.of("target", "DATABASE_URL", "scope", "tables",
                "table", "public.orders", "mode", "alongside", "snapshot_first", "on", "confirm", ""));

        assertThat(snapshotPage).contains("href=\"/dashboard/snapshots/" + snapshot + "/restore\"");
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("name=\"csrf\" value=\"" + browser.csrf() + "\"")
                .contains("name=\"target\" list=\"restore-targets\" value=\"DATABASE_URL\"").contains("<option value=\"DATABASE_URL\">")
                .contains("value=\"public.orders\" > public.orders</label></td><td class=\"rows\">42</td>")
                .contains("value=\"public.customers\" > public.customers</label></td><td class=\"rows\">3</td>")
                .contains("restored_" + snapshot).contains("<b id=\"confirm-name\">shop-app</b>");
        assertThat(asked.statusCode()).as(asked.body()).isEqualTo(303);
        String location = asked.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("/dashboard/restores/");
        assertThat(browser.follow(asked).body()).contains("id=\"flash\" role=\"status\">Restore of snapshot " + snapshot
                + " into DATABASE_URL queued; this page follows it until it is done.</p>");
        await().atMost(Duration.ofSeconds(90)).until(() -> !browser.get(location).body().contains("http-equiv=\"refresh\""));
        String done = browser.get(location).body();
        assertThat(done).as(done).contains("data-status=\"completed\"");
        assertThat(done).contains("<td class=\"name\">public.orders</td><td class=\"rows\">42</td><td class=\"expected\">42</td>")
                .contains("<code>restored_" + snapshot + "</code> in DATABASE_URL")
                .contains("<a href=\"/dashboard/snapshots/" + snapshot + "\">").doesNotContain("id=\"safety-snapshot\"");
        try (var connection = SourceDatabases.postgres(source)) {
            assertThat(SourceDatabases.rows(connection, "SELECT count(*) FROM orders")).as("nothing live is touched").contains("2");
        }
        assertThat(browser.page().body()).contains("<a href=\"" + location + "\">");
    }

    @Test
    void a_whole_restore_without_the_app_s_name_shows_the_form_again_with_the_reason_and_what_was_typed() {
        String snapshot = recordedSnapshot();

        var refused = browser.post("/dashboard/snapshots/" + snapshot + "/restore", Map.of("target", "STAGING_DATABASE_URL",
                "scope", "whole", "table", "public.orders", "mode", "replace", "confirm", "shop-ap"));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("id=\"refused\">Restoring the whole snapshot overwrites STAGING_DATABASE_URL of shop-app")
                .contains("id=\"restore-form\"").contains("value=\"STAGING_DATABASE_URL\"").contains("name=\"confirm\" value=\"shop-ap\"")
                .contains("name=\"scope\" value=\"whole\" checked").contains("name=\"mode\" value=\"replace\" checked")
                .contains("name=\"snapshot_first\" >").contains("value=\"public.orders\" checked>");
        assertThat(restores.ofAddon(addonId, 10)).as("nothing was queued").isEmpty();
    }

    @Test
    void chosen_tables_with_none_ticked_are_refused_with_the_tables_still_offered() {
        String snapshot = recordedSnapshot();

        var refused = browser.post("/dashboard/snapshots/" + snapshot + "/restore", Map.of("scope", "tables", "mode", "replace",
                "snapshot_first", "on"));

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("Tick the tables to restore").contains("name=\"scope\" value=\"tables\" checked")
                .contains("name=\"mode\" value=\"replace\" checked").contains("name=\"snapshot_first\" checked")
                .contains("value=\"public.orders\" >");
        assertThat(restores.ofAddon(addonId, 10)).isEmpty();
    }

    @Test
    void a_running_restore_shows_its_progress_and_refreshes_and_a_failed_one_its_error_in_full_and_the_snapshot_taken_first() {
        String snapshot = recordedSnapshot();
        String running = pendingRestore(snapshot, "DATABASE_URL", RestoreMode.ALONGSIDE);
        restores.markRunning(running, app.clock.instant().minusSeconds(60));
        restores.recordProgress(running, new DumpProgress.View(250_000, 1_000_000L, null));
        String failed = pendingRestore(snapshot, "STAGING_DATABASE_URL", RestoreMode.WHOLE);
        String safety = recordedSnapshot();
        restores.markRunning(failed, app.clock.instant());
        restores.recordSafetySnapshot(failed, safety);
        String error = "pg_restore: error: could not execute query: ERROR:  relation \"orders\" does not exist\n"
                + "Command was: ALTER TABLE <public>.orders OWNER TO app;";
        restores.finish(failed, List.of(), null, error, app.clock.instant());

        String runningPage = browser.get("/dashboard/restores/" + running).body();
        String failedPage = browser.get("/dashboard/restores/" + failed).body();
        String dashboard = browser.page().body();

        assertThat(runningPage).contains("data-status=\"running\"").contains("<meta http-equiv=\"refresh\"")
                .contains("<progress value=\"25\" max=\"100\">25%</progress>").contains("250.0 KB of the stored file read")
                .contains("about 3 min 0 s left");
        assertThat(failedPage).contains("data-status=\"failed\"").doesNotContain("http-equiv=\"refresh\"")
                .contains("<pre id=\"restore-error\">pg_restore: error: could not execute query: ERROR:  relation &quot;orders&quot; does"
                        + " not exist\nCommand was: ALTER TABLE &lt;public&gt;.orders OWNER TO app;</pre>")
                .contains("<a href=\"/dashboard/snapshots/" + safety + "\"><code>" + safety + "</code></a> holds STAGING_DATABASE_URL");
        assertThat(dashboard).contains("<a href=\"/dashboard/restores/" + running + "\">").contains("<a href=\"/dashboard/restores/" + failed + "\">")
                .as("follows the running restore").contains("<meta http-equiv=\"refresh\"");
    }

    @Test
    void another_add_on_s_restore_and_restore_form_are_not_found() {
        String snapshot = recordedSnapshot();
        String restore = pendingRestore(snapshot, "DATABASE_URL", RestoreMode.ALONGSIDE);
        UUID otherAddon = app.provisionedAddon("travel");
        var other = DashboardSession.open(app.http, otherAddon, app.clock.instant(), TestApp.SSO_SALT, "other-app");

        var page = other.get("/dashboard/restores/" + restore);
        var form = other.get("/dashboard/snapshots/" + snapshot + "/restore");
        var post = other.post("/dashboard/snapshots/" + snapshot + "/restore", Map.of("scope", "tables", "table", "public.orders"));

        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.body()).contains("No such restore.").doesNotContain(snapshot);
        assertThat(form.statusCode()).isEqualTo(404);
        assertThat(post.statusCode()).isEqualTo(404);
        assertThat(browser.get("/dashboard/restores/" + restore).statusCode()).as("its own add-on sees it").isEqualTo(200);
        assertThat(restores.ofAddon(addonId, 10)).hasSize(1);
    }

    /** A snapshot of DATABASE_URL taken from the dashboard's form by the worker. */
    private String completedSnapshot() {
        var created = browser.post("/dashboard/snapshots", Map.of("database", "DATABASE_URL"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(302);
        await().atMost(Duration.ofSeconds(60)).until(() -> snapshots.ofAddon(addonId).stream().anyMatch(s -> s.status() == SnapshotStatus.COMPLETED
                || s.status() == SnapshotStatus.FAILED));
        var snapshot = snapshots.ofAddon(addonId).getFirst();
        assertThat(snapshot.status()).as(String.valueOf(snapshot.error())).isEqualTo(SnapshotStatus.COMPLETED);
        return snapshot.id();
    }

    /** A completed PostgreSQL snapshot as recorded, with its tables; no file behind it (nothing here restores it). */
    private String recordedSnapshot() {
        String id = snapshots.createOrFind(new SnapshotRepository.NewSnapshot(SnapshotKeys.newId(), addonId, "DATABASE_URL", "postgresql",
                SnapshotKind.MANUAL, null, null, UUID.randomUUID(), app.clock.instant()));
        snapshots.markRunning(id, app.clock.instant());
        snapshots.complete(id, new SnapshotRepository.Completion("16.4", 2048, "ab".repeat(32), "local", "key",
                new DatabaseStatistics(90_000, List.of(new DatabaseStatistics.TableStatistics("public.orders", 42, true, 16_384))), null),
                app.clock.instant(), app.clock.instant());
        return id;
    }

    /** A restore as recorded when asked for; no job runs it. */
    private String pendingRestore(String snapshot, String target, RestoreMode mode) {
        String id = SnapshotKeys.newId();
        assertThat(restores.create(new RestoreRepository.NewRestore(id, addonId, snapshot, target, mode,
                mode == RestoreMode.WHOLE ? List.of() : List.of("public.orders"), true, UUID.randomUUID(), app.clock.instant()))).isTrue();
        return id;
    }
}
