package io.autobus.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autobus.api.ApiTokens;
import io.autobus.backup.Snapshot;
import io.autobus.backup.SnapshotStatus;
import io.autobus.dump.DumpOptions;
import io.autobus.support.BackupHarness;
import io.autobus.support.DashboardSession;
import io.autobus.support.SourceDatabases;
import io.autobus.support.TestApp;
import io.autobus.support.TestDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a snapshot's page and JSON tell a person about it: its tables, its engine, how to restore it. */
class SnapshotPageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BackupHarness harness = new BackupHarness();
    private final TestApp app = harness.app;
    private final Map<UUID, String> tokens = new java.util.HashMap<>();

    @Test
    void tables_the_snapshot_leaves_out_are_marked_as_left_out_and_sizes_read_as_sizes() throws Exception {
        String source = TestDatabase.create("left_out_page");
        try (var connection = SourceDatabases.postgres(source); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE audit_log (id int)");
            statement.execute("CREATE TABLE events (id int)");
            statement.execute("CREATE TABLE people (id int)");
            statement.execute("INSERT INTO audit_log SELECT generate_series(1, 300)");
            statement.execute("INSERT INTO events SELECT generate_series(1, 200)");
            statement.execute("INSERT INTO people SELECT generate_series(1, 100)");
        }
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", source);
        harness.addons.setDumpOptions(addon, "DATABASE_URL",
                DumpOptions.fromJson("{\"exclude_tables\": [\"audit_log\"], \"exclude_table_data\": [\"events\"]}").toJson());
        Snapshot snapshot = snapshot(addon, "DATABASE_URL");
        assertThat(snapshot.status()).as(String.valueOf(snapshot.error())).isEqualTo(SnapshotStatus.COMPLETED);

        String page = session(addon).get("/dashboard/snapshots/" + snapshot.id()).body();
        JsonNode tables = api(addon, "GET", "/api/snapshots/" + snapshot.id(), null).path("statistics").path("tables");

        assertThat(java.util.regex.Pattern.compile("data-left-out=\"(\\w+)\"").matcher(page).results().map(m -> m.group(1)))
                .containsExactly("table", "data");
        assertThat(row(page, "public.audit_log")).contains("not in the snapshot").contains("exclude_tables");
        assertThat(row(page, "public.events")).contains("rows left out").contains("exclude_table_data");
        assertThat(row(page, "public.people")).contains("<td>100</td>").containsPattern("<td>\\d+(\\.\\d)? KB</td>").doesNotContain("8192");
        assertThat(tables).extracting(t -> t.path("name").asText() + "=" + (t.path("left_out").isNull() ? "kept" : t.path("left_out").asText()))
                .containsExactly("public.audit_log=table", "public.events=data", "public.people=kept");
    }

    @Test
    void the_restore_commands_say_if_exists_and_wrap_between_arguments_only() throws Exception {
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", io.autobus.backup.PostgresBackupTest.sourceDatabase());
        Snapshot snapshot = snapshot(addon, "DATABASE_URL");

        String page = session(addon).get("/dashboard/snapshots/" + snapshot.id()).body();

        assertThat(page).contains("<pre class=\"command\" id=\"restore-pg-restore\">pg_restore --verbose --clean --if-exists --no-acl --no-owner")
                .contains("<pre class=\"command\" id=\"restore-heroku\">")
                .contains("pre.command { white-space: pre-wrap; word-break: normal; overflow-wrap: normal;");
        assertThat(element(page, "restore-if-exists")).contains("\"does not exist\" errors").contains("exits with status 1");
    }

    @Test
    void an_encrypted_snapshot_s_page_shows_the_decryption_step_and_offers_no_restore_it_cannot_do() throws Exception {
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", io.autobus.backup.PostgresBackupTest.sourceDatabase());
        String recipient = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
        harness.addons.setEncryptionRecipient(addon, recipient);
        Snapshot snapshot = snapshot(addon, "DATABASE_URL");
        // Verified in flight, from the dump before it was encrypted: the stored copy opens only with the customer's key.
        await().atMost(Duration.ofSeconds(60)).until(() -> "verified".equals(api(addon, "GET", "/api/snapshots/" + snapshot.id(), null)
                .path("verification").path("status").asText()));
        var session = session(addon);

        String page = session.get("/dashboard/snapshots/" + snapshot.id()).body();
        var form = session.get("/dashboard/snapshots/" + snapshot.id() + "/restore");
        JsonNode json = api(addon, "GET", "/api/snapshots/" + snapshot.id(), null);

        assertThat(element(page, "restore-pg-restore")).startsWith("age -d -i key.txt DATABASE_" + snapshot.id()
                + ".dump.age | pg_restore --verbose --clean --if-exists --no-acl --no-owner -h 127.0.0.1 -U myuser -d source_");
        assertThat(page).doesNotContain("id=\"restore-heroku\"").doesNotContain("id=\"restore-link\"")
                .contains("cannot restore from the snapshot's URL").contains("Download DATABASE_" + snapshot.id() + ".dump.age")
                .contains("every row count matches the dump");
        assertThat(form.statusCode()).isEqualTo(422);
        assertThat(form.body()).contains("encrypted with your key; Autobus cannot read it. Restore it yourself");
        assertThat(json.path("file_name").asText()).endsWith(".dump.age");
        assertThat(json.path("encrypted_to").asText()).isEqualTo(recipient);
        assertThat(json.path("restore_command").asText()).startsWith("age -d -i key.txt DATABASE_" + snapshot.id() + ".dump.age | pg_restore");
        assertThat(session.page().body()).contains("<span class=\"badge encrypted\" title=\"encrypted to " + recipient + "\">your key</span>")
                .contains("those encrypted with your own key");
        var again = session.follow(session.post("/dashboard/snapshots/" + snapshot.id() + "/verify", Map.of()));
        assertThat(again.body()).as("verify again says why it does not").contains("Snapshot " + snapshot.id()
                + " is encrypted with your key: Autobus cannot open the stored copy to restore it");
    }

    @Test
    void a_failed_snapshot_s_page_says_why_it_has_no_tables_instead_of_an_empty_table() throws Exception {
        UUID addon = harness.provisionedAddon();
        harness.attachedEarlier(addon, "DATABASE", "postgres://postgres@127.0.0.1:5432/no_such_database_" + UUID.randomUUID().toString().substring(0, 8));
        Snapshot snapshot = snapshot(addon, "DATABASE_URL");
        assertThat(snapshot.status()).isEqualTo(SnapshotStatus.FAILED);

        String page = session(addon).get("/dashboard/snapshots/" + snapshot.id()).body();
        String tables = page.substring(page.indexOf("<section id=\"tables\">"));

        assertThat(tables.substring(0, tables.indexOf("</section>"))).doesNotContain("<table").doesNotContain("<th>");
        assertThat(element(page, "no-tables")).isEqualTo("None: the snapshot failed before its tables were read.");
    }

    @Test
    void a_mariadb_server_behind_a_mysql_url_is_shown_as_mariadb() throws Exception {
        String source = SourceDatabases.createMariadb("label");
        try (var connection = SourceDatabases.mariadb(source); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (v INT)");
        }
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "JAWSDB", "mysql://root@127.0.0.1:3306/" + source);
        Snapshot snapshot = snapshot(addon, "JAWSDB_URL");

        String page = session(addon).get("/dashboard/snapshots/" + snapshot.id()).body();
        JsonNode json = api(addon, "GET", "/api/snapshots/" + snapshot.id(), null);

        assertThat(snapshot.engine()).as("behaviour still goes by the URL's engine").isEqualTo("mysql");
        assertThat(element(page, "server")).startsWith("MariaDB 1");
        assertThat(json.path("engine").asText()).isEqualTo("mariadb");
    }

    /** A snapshot taken by the service's own worker (whose store the pages read), once it has ended. */
    private Snapshot snapshot(UUID addon, String configVar) throws Exception {
        String jid = api(addon, "POST", "/api/snapshots", "{\"database\": \"" + configVar + "\"}").path("jid").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> api(addon, "GET", "/api/snapshots/check_snapshot?jid=" + jid, null)
                .path("completed").asBoolean());
        return harness.snapshots.findByJob(addon, UUID.fromString(jid)).orElseThrow();
    }

    private JsonNode api(UUID addon, String method, String path, String json) throws Exception {
        String token = tokens.computeIfAbsent(addon, id -> new ApiTokens(app.db).enable(id, true).orElseThrow());
        return JSON.readTree(app.http.send(method, path, json, Map.of("Authorization", "Bearer " + token)).body());
    }

    /** The row of the table's statistics, as HTML. */
    private static String row(String page, String table) {
        int start = page.indexOf("<td>" + table + "</td>");
        assertThat(start).as(table + " is listed").isNotNegative();
        return page.substring(start, page.indexOf("</tr>", start));
    }

    /** The inner HTML of the element with that id (one without nested elements of its own tag). */
    private static String element(String page, String id) {
        var matcher = java.util.regex.Pattern.compile("<(\\w+)[^>]* id=\"" + id + "\"[^>]*>(.*?)</\\1>", java.util.regex.Pattern.DOTALL).matcher(page);
        assertThat(matcher.find()).as("#" + id).isTrue();
        return matcher.group(2).strip();
    }

    private DashboardSession session(UUID addon) {
        return DashboardSession.open(app.http, addon, app.clock.instant(), TestApp.SSO_SALT, "app");
    }
}
