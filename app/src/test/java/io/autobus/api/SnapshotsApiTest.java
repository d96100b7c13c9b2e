package io.autobus.api;

import static org.assertj.core.api.Assertions.assertThat;
import static io.autobus.db.generated.Tables.SNAPSHOT;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autobus.backup.SnapshotKeys;
import io.autobus.backup.SnapshotKind;
import io.autobus.backup.SnapshotRepository;
import io.autobus.dump.DumpProgress;
import io.autobus.support.HerokuPartner;
import io.autobus.support.HttpDriver;
import io.autobus.support.SourceDatabases;
import io.autobus.support.Crc32c;
import io.autobus.support.TestApp;
import io.autobus.support.TestDatabase;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's REST API over HTTP against the running service, with real backups behind it. */
class SnapshotsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestApp app = TestApp.shared();
    private final ApiTokens tokens = new ApiTokens(app.db);
    private final SnapshotRepository snapshots = new SnapshotRepository(app.db);
    @TempDir
    Path downloads;

    private record Tenant(UUID addonId, String key, String token) {
    }

    /** A provisioned add-on with a small PostgreSQL database attached and the token API on. */
    private Tenant tenant() throws Exception {
        UUID id = UUID.randomUUID();
        var provision = HerokuPartner.of(app).provision(id, "travel", "grant-" + id);
        String key = JSON.readTree(provision.body()).path("config").path("AUTOBUS_URL").asText().replaceAll("^https://addon:([^@]+)@.*$", "$1");
        String source = TestDatabase.create("api");
        try (var connection = SourceDatabases.postgres(source); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE items (id int PRIMARY KEY)");
            statement.execute("INSERT INTO items SELECT generate_series(1, 12)");
        }
        app.attach(id, "DATABASE", source);
        String token = tokens.enable(id, true).orElseThrow();
        return new Tenant(id, key, token);
    }

    @Test
    void create_check_list_show_latest_and_delete_a_snapshot_as_the_seed_describes() throws Exception {
        Tenant tenant = tenant();

        var created = call("POST", "/api/snapshots", "{\"token\": \"" + tenant.token() + "\", \"database\": \"DATABASE_URL\", \"description\": \"before deploy\"}", Map.of());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        JsonNode answer = JSON.readTree(created.body());
        assertThat(answer.path("message").asText()).isEqualTo("Snapshot is in progress, it may take awhile");
        String jid = answer.path("jid").asText();

        await().atMost(Duration.ofSeconds(60)).until(() ->
                JSON.readTree(get("/api/snapshots/check_snapshot?jid=" + jid + "&token=" + tenant.token()).body()).path("completed").asBoolean());
        JsonNode check = JSON.readTree(get("/api/snapshots/check_snapshot?jid=" + jid + "&token=" + tenant.token()).body());
        String id = check.path("snapshot_id").asText();
        assertThat(check.path("status").asText()).isEqualTo("completed");

        JsonNode list = JSON.readTree(get("/api/snapshots?token=" + tenant.token()).body());
        assertThat(list).hasSize(1);
        JsonNode listed = list.get(0);
        assertThat(listed.path("id").asText()).isEqualTo(id).matches("[0-9a-f]{24}");
        assertThat(listed.path("kind").asText()).isEqualTo("Manual");
        assertThat(listed.path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(listed.path("database").asText()).isEqualTo("DATABASE_URL");
        assertThat(listed.path("description").asText()).isEqualTo("before deploy");
        assertThat(listed.path("size").asLong()).isPositive();
        assertThat(listed.path("verification").path("status").asText()).as("verification starts as soon as the backup completes")
                .isIn("running", "verified");

        JsonNode shown = JSON.readTree(call("GET", "/api/snapshots/" + id, null, Map.of("Authorization", "Bearer " + tenant.token())).body());
        assertThat(shown.path("statistics").path("tables").get(0).path("name").asText()).isEqualTo("public.items");
        assertThat(shown.path("statistics").path("tables").get(0).path("rows").asLong()).isEqualTo(12);

        var latest = get("/api/snapshots/latest?token=" + tenant.token());
        String url = JSON.readTree(latest.body()).asText();
        assertThat(latest.body()).startsWith("\"");
        assertThat(url).startsWith(TestApp.PUBLIC_URL + "/downloads/");
        Path file = downloads.resolve("latest.dump");
        SourceDatabases.download(URI.create(url.replace(TestApp.PUBLIC_URL, app.http.baseUrl())), file);
        assertThat(Files.size(file)).isEqualTo(listed.path("size").asLong());
        assertThat(listed.path("stored_checksum").path("algorithm").asText()).isEqualTo("CRC32C");
        assertThat(listed.path("stored_checksum").path("value").asText()).as("the CRC32C of the file downloaded")
                .isEqualTo(Crc32c.base64(file));

        var deleted = call("DELETE", "/api/snapshots/" + id, "{\"token\": \"" + tenant.token() + "\"}", Map.of());
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(deleted.body()).path("message").asText()).isEqualTo("Snapshot has been deleted");
        assertThat(JSON.readTree(get("/api/snapshots?token=" + tenant.token()).body())).isEmpty();
        assertThat(get("/api/snapshots/" + id + "?token=" + tenant.token()).statusCode()).isEqualTo(404);
    }

    @Test
    void check_snapshot_says_completed_once_a_failed_snapshot_has_ended_and_status_says_it_failed() throws Exception {
        Tenant tenant = tenant();
        // A database that was there when it was attached, and is gone now.
        app.attachedEarlier(tenant.addonId(), "GONE", "postgres://postgres@127.0.0.1:5432/no_such_database_" + UUID.randomUUID().toString().substring(0, 8));
        String jid = JSON.readTree(call("POST", "/api/snapshots?token=" + tenant.token(), "{\"database\": \"GONE_URL\"}", Map.of()).body()).path("jid").asText();

        // What a client that knows only the seed does: wait for completed.
        await().atMost(Duration.ofSeconds(60)).until(() ->
                JSON.readTree(get("/api/snapshots/check_snapshot?jid=" + jid + "&token=" + tenant.token()).body()).path("completed").asBoolean());
        JsonNode check = JSON.readTree(get("/api/snapshots/check_snapshot?jid=" + jid + "&token=" + tenant.token()).body());

        assertThat(check.path("status").asText()).isEqualTo("failed");
        assertThat(check.path("error").asText()).contains("no_such_database");
        assertThat(check.path("progress").isNull()).isTrue();
    }

    @Test
    void a_form_encoded_post_keeps_its_database_and_description() throws Exception {
        Tenant tenant = tenant();

        var created = app.http.postForm("/api/snapshots", Map.of("token", tenant.token(), "database", "DATABASE_URL",
                "description", "before the form deploy"));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        String id = JSON.readTree(created.body()).path("snapshot_id").asText();
        JsonNode shown = JSON.readTree(get("/api/snapshots/" + id + "?token=" + tenant.token()).body());
        assertThat(shown.path("description").asText()).isEqualTo("before the form deploy");
        assertThat(shown.path("database").asText()).isEqualTo("DATABASE_URL");
        assertError(app.http.postForm("/api/snapshots", Map.of("token", tenant.token(), "database", "NOPE_URL")), 422, "No database NOPE_URL");
    }

    @Test
    void a_snapshot_asked_for_starts_at_once_instead_of_at_the_workers_next_poll() throws Exception {
        Tenant tenant = tenant();

        // JobRunr looks for new jobs every 5 s; the worker bell makes it look at once. Three in a
        // row each starting within 1.5 s would happen by chance less than 3 times in 100 without it.
        for (int i = 0; i < 3; i++) {
            String jid = JSON.readTree(call("POST", "/api/snapshots?token=" + tenant.token(), null, Map.of()).body()).path("jid").asText();
            await().atMost(Duration.ofMillis(1500)).pollInterval(Duration.ofMillis(20))
                    .until(() -> !status(tenant, jid).equals("pending"));
            await().atMost(Duration.ofSeconds(60)).until(() -> status(tenant, jid).equals("completed"));
        }
    }

    @Test
    void the_list_shows_a_change_at_once_even_one_made_by_another_process() throws Exception {
        Tenant tenant = tenant();
        String jid = JSON.readTree(call("POST", "/api/snapshots?token=" + tenant.token(), null, Map.of()).body()).path("jid").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> status(tenant, jid).equals("completed"));
        assertThat(JSON.readTree(get("/api/snapshots?token=" + tenant.token()).body()).get(0).path("status").asText()).isEqualTo("completed");
        assertThat(JSON.readTree(get("/api/snapshots?token=" + tenant.token()).body()).get(0).path("description").isNull()).isTrue();

        // As a worker on another dyno would: straight in the database, not through this process.
        app.db.update(SNAPSHOT).set(SNAPSHOT.DESCRIPTION, "changed elsewhere").where(SNAPSHOT.ADDON_ID.eq(tenant.addonId())).execute();

        assertThat(JSON.readTree(get("/api/snapshots?token=" + tenant.token()).body()).get(0).path("description").asText())
                .isEqualTo("changed elsewhere");
        app.db.deleteFrom(SNAPSHOT).where(SNAPSHOT.ADDON_ID.eq(tenant.addonId())).execute();
        assertThat(JSON.readTree(get("/api/snapshots?token=" + tenant.token()).body())).isEmpty();
    }

    @Test
    void check_snapshot_shows_how_far_a_running_snapshot_is_and_when_it_should_be_done() throws Exception {
        Tenant tenant = tenant();
        UUID jobId = UUID.randomUUID();
        // As the worker does: started a minute ago, 40% of the data passed, now in public.orders.
        String id = running(tenant, jobId, app.clock.instant().minusSeconds(60));
        snapshots.recordProgress(id, new DumpProgress.View(400_000, 1_000_000L, "public.orders"));

        JsonNode running = JSON.readTree(get("/api/snapshots/check_snapshot?jid=" + jobId + "&token=" + tenant.token()).body());
        JsonNode listed = JSON.readTree(get("/api/snapshots?token=" + tenant.token()).body()).get(0);

        assertThat(running.path("status").asText()).isEqualTo("running");
        assertThat(running.path("completed").asBoolean()).isFalse();
        var expected = JSON.readTree("{\"bytes\": 400000, \"percent\": 40, \"eta_seconds\": 90, \"table\": \"public.orders\"}");
        assertThat(running.path("progress")).isEqualTo(expected);
        assertThat(listed.path("progress")).as("the snapshot's JSON carries it too").isEqualTo(expected);

        snapshots.complete(id, new SnapshotRepository.Completion("15.4", 2048, "ab".repeat(32), "local", "key", null, null),
                app.clock.instant().minusSeconds(60), app.clock.instant());
        JsonNode completed = JSON.readTree(get("/api/snapshots/check_snapshot?jid=" + jobId + "&token=" + tenant.token()).body());

        assertThat(completed.path("completed").asBoolean()).isTrue();
        assertThat(completed.path("progress").isNull()).as("a completed snapshot has a size instead").isTrue();
    }

    @Test
    void a_running_snapshot_not_reported_yet_has_zero_bytes_and_no_estimate() throws Exception {
        Tenant tenant = tenant();
        UUID jobId = UUID.randomUUID();
        String id = running(tenant, jobId, app.clock.instant());

        JsonNode check = JSON.readTree(get("/api/snapshots/check_snapshot?jid=" + jobId + "&token=" + tenant.token()).body());

        assertThat(check.path("progress")).isEqualTo(JSON.readTree("{\"bytes\": 0, \"percent\": null, \"eta_seconds\": null, \"table\": null}"));
        snapshots.fail(id, "stopped by the test", app.clock.instant(), app.clock.instant(), true);
    }

    /** A manual snapshot of the tenant's database whose run began at {@code startedAt}, as the worker records it (no job runs it). */
    private String running(Tenant tenant, UUID jobId, Instant startedAt) {
        String id = snapshots.createOrFind(new SnapshotRepository.NewSnapshot(SnapshotKeys.newId(), tenant.addonId(), "DATABASE_URL",
                "postgresql", SnapshotKind.MANUAL, null, null, jobId, app.clock.instant()));
        snapshots.markRunning(id, startedAt);
        return id;
    }

    private String status(Tenant tenant, String jid) throws Exception {
        return JSON.readTree(get("/api/snapshots/check_snapshot?jid=" + jid + "&token=" + tenant.token()).body()).path("status").asText();
    }

    @Test
    void the_token_api_is_off_by_default_but_the_addon_key_always_works() throws Exception {
        Tenant tenant = tenant();
        tokens.enable(tenant.addonId(), false);

        var withToken = get("/api/snapshots?token=" + tenant.token());
        var withKey = get("/api/snapshots?token=" + tenant.key());
        var withBasic = call("GET", "/api/snapshots", null, Map.of("Authorization", HttpDriver.basic("addon", tenant.key())));

        assertThat(withToken.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(withToken.body()).path("message").asText()).isEqualTo("The API is disabled; enable it on the Settings tab");
        assertThat(withKey.statusCode()).isEqualTo(200);
        assertThat(withBasic.statusCode()).isEqualTo(200);
    }

    @Test
    void regenerating_the_token_revokes_the_old_one_and_bad_tokens_are_401() throws Exception {
        Tenant tenant = tenant();

        String fresh = tokens.regenerate(tenant.addonId());

        assertThat(get("/api/snapshots?token=" + tenant.token()).statusCode()).isEqualTo(401);
        assertThat(get("/api/snapshots?token=" + fresh).statusCode()).isEqualTo(200);
        assertThat(get("/api/snapshots").statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(get("/api/snapshots").body()).path("message").asText()).contains("token is required");
    }

    @Test
    void one_addon_never_sees_or_deletes_another_s_snapshots() throws Exception {
        Tenant a = tenant();
        Tenant b = tenant();
        var created = call("POST", "/api/snapshots?token=" + b.token(), null, Map.of());
        String jid = JSON.readTree(created.body()).path("jid").asText();
        String bSnapshot = JSON.readTree(created.body()).path("snapshot_id").asText();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                JSON.readTree(get("/api/snapshots/check_snapshot?jid=" + jid + "&token=" + b.token()).body()).path("completed").asBoolean());

        assertThat(JSON.readTree(get("/api/snapshots?token=" + a.token()).body())).isEmpty();
        assertThat(get("/api/snapshots/" + bSnapshot + "?token=" + a.token()).statusCode()).isEqualTo(404);
        assertThat(call("DELETE", "/api/snapshots/" + bSnapshot + "?token=" + a.token(), null, Map.of()).statusCode()).isEqualTo(404);
        assertThat(get("/api/snapshots/check_snapshot?jid=" + jid + "&token=" + a.token()).statusCode()).isEqualTo(404);
        assertThat(get("/api/snapshots/latest?token=" + a.token()).statusCode()).isEqualTo(404);
        assertThat(get("/api/snapshots/" + bSnapshot + "?token=" + b.token()).statusCode()).as("still there for its owner").isEqualTo(200);
    }

    @Test
    void bad_parameters_get_clear_messages() throws Exception {
        Tenant tenant = tenant();

        assertError(call("POST", "/api/snapshots?token=" + tenant.token(), "{\"database\": \"NOPE_URL\"}", Map.of()), 422, "No database NOPE_URL");
        assertError(call("POST", "/api/snapshots?token=" + tenant.token(), "{\"description\": 42}", Map.of()), 422, "description must be a string");
        assertError(call("POST", "/api/snapshots?token=" + tenant.token(), "{not json", Map.of()), 400, "not valid JSON");
        assertError(call("POST", "/api/snapshots?token=" + tenant.token(), "{\"description\": \"" + "x".repeat(501) + "\"}", Map.of()), 422, "longer than 500");
        assertError(call("POST", "/api/snapshots?token=" + tenant.token(), "{\"databse\": \"DATABASE_URL\"}", Map.of()), 422,
                "databse is not a field of this request; the fields are database, description.");
        assertError(call("POST", "/api/snapshots?token=" + tenant.token(), "{\"database\": 5}", Map.of()), 422, "database must be a string");
        assertError(call("POST", "/api/snapshots?database=NOPE_URL&token=" + tenant.token(), "{\"database\": \"DATABASE_URL\"}", Map.of()),
                422, "No database NOPE_URL");
        assertError(call("POST", "/api/snapshots", "{\"token\": 5}", Map.of()), 422, "token must be a string");
        assertError(get("/api/snapshots/check_snapshot?token=" + tenant.token()), 422, "jid is required");
        assertError(get("/api/snapshots?kind=hourly&token=" + tenant.token()), 422, "kind 'hourly'");
        assertError(get("/api/snapshots?limit=0&token=" + tenant.token()), 422, "limit must be");
        var nulls = call("POST", "/api/snapshots?token=" + tenant.token(), "{\"database\": null, \"description\": null}", Map.of());
        assertThat(nulls.statusCode()).as("null is left out, as before: " + nulls.body()).isEqualTo(202);
    }

    @Test
    void more_than_sixty_requests_a_minute_are_refused_with_retry_after() throws Exception {
        Tenant tenant = tenant();
        int ok = 0;
        HttpResponse<String> refused = null;
        for (int i = 0; i < 70 && refused == null; i++) {
            var response = get("/api/snapshots?token=" + tenant.token());
            if (response.statusCode() == 429) {
                refused = response;
            } else {
                ok++;
            }
        }

        assertThat(ok).isEqualTo(60);
        assertThat(refused).isNotNull();
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 60));
        app.clock.advance(Duration.ofSeconds(2));
        assertThat(get("/api/snapshots?token=" + tenant.token()).statusCode()).as("a token refills with time").isEqualTo(200);
    }

    @Test
    void settings_are_read_and_changed_with_the_dashboard_s_rules() throws Exception {
        Tenant tenant = tenant();

        var changed = call("PATCH", "/api/settings?token=" + tenant.token(),
                "{\"backup_hour\": 22, \"time_zone\": \"Europe/Berlin\", \"database\": \"DATABASE_URL\", \"exclude_tables\": [\"audit_log\"]}", Map.of());
        JsonNode settings = JSON.readTree(get("/api/settings?token=" + tenant.token()).body());

        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(settings.path("backup_hour").asInt()).isEqualTo(22);
        assertThat(settings.path("time_zone").asText()).isEqualTo("Europe/Berlin");
        assertThat(settings.path("monthly").asBoolean()).isFalse();
        assertThat(settings.path("databases").get(0).path("exclude_tables").get(0).asText()).isEqualTo("audit_log");
        assertError(call("PATCH", "/api/settings?token=" + tenant.token(), "{\"backup_hour\": 24}", Map.of()), 422, "between 0 and 23");
        assertError(call("PATCH", "/api/settings?token=" + tenant.token(), "{\"exclude_tables\": [\"x\"]}", Map.of()), 422, "database is required");
        assertError(call("PATCH", "/api/settings?token=" + tenant.token(),
                "{\"database\": \"DATABASE_URL\", \"exclude_tables\": [\"--file=/x\"]}", Map.of()), 422, "not a table or schema name");
    }

    @Test
    void the_openapi_description_is_served() {
        var response = app.http.get("/api/openapi.yaml", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("openapi: 3.0.3").contains("/api/snapshots/check_snapshot");
    }

    private HttpResponse<String> get(String path) {
        return call("GET", path, null, Map.of());
    }

    private HttpResponse<String> call(String method, String path, String json, Map<String, String> headers) {
        return app.http.send(method, path, json, headers);
    }

    private static void assertError(HttpResponse<String> response, int status, String message) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(JSON.readTree(response.body()).path("message").asText()).contains(message);
    }
}
