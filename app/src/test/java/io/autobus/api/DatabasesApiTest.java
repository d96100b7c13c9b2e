package io.autobus.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autobus.addon.FoundDatabase;
import io.autobus.backup.SnapshotKeys;
import io.autobus.backup.SnapshotKind;
import io.autobus.backup.SnapshotRepository;
import io.autobus.support.SourceDatabases;
import io.autobus.support.TestApp;
import io.autobus.support.TestDatabase;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/databases}: attaching tests the connection before saving and says what failed;
 * the plan's limit is refused where the customer acts and shown for databases found beyond it;
 * an existing name is replaced only when asked; detaching keeps the snapshots.
 */
class DatabasesApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestApp app = TestApp.shared();

    @Test
    void a_wrong_port_a_missing_database_an_unknown_login_and_a_wrong_password_are_each_told_and_nothing_is_saved() throws Exception {
        String token = token(app.provisionedAddon("travel"));
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String mariadb = SourceDatabases.createMariadb("attach_check");
        var cases = Map.of(
                "postgres://postgres@127.0.0.1:" + closedPort + "/postgres", "Connection to 127.0.0.1:" + closedPort + " refused",
                "postgres://postgres@127.0.0.1:5432/no_such_database_here", "database \"no_such_database_here\" does not exist",
                "postgres://nobody_at_all@127.0.0.1:5432/postgres", "role \"nobody_at_all\" does not exist",
                "mysql://root:not-the-password@127.0.0.1:3306/" + mariadb, "Access denied for user 'root'");

        for (var attempt : cases.entrySet()) {
            var response = attach(token, "{\"name\": \"STAGING\", \"url\": \"" + attempt.getKey() + "\"}");

            assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
            String message = JSON.readTree(response.body()).path("message").asText();
            assertThat(message).as(attempt.getKey()).startsWith("The connection test failed, so nothing was saved: ")
                    .contains(attempt.getValue()).doesNotContain("not-the-password");
        }
        assertThat(list(token)).isEmpty();
    }

    @Test
    void a_database_that_answers_is_attached_with_what_the_test_found_and_a_second_attach_of_its_name_needs_replace() throws Exception {
        UUID addon = app.provisionedAddon("travel");
        String token = token(addon);
        String first = TestDatabase.create("attach_ok");
        String second = TestDatabase.create("attach_other");
        String mariadb = SourceDatabases.createMariadb("attach_ok");

        var attached = attach(token, "{\"name\": \"staging\", \"url\": \"" + first + "\"}");
        app.clock.advance(java.time.Duration.ofSeconds(1));
        var maria = attach(token, "{\"name\": \"SHOP\", \"url\": \"mysql://root@127.0.0.1:3306/" + mariadb + "\"}");
        var again = attach(token, "{\"name\": \"STAGING_URL\", \"url\": \"" + second + "\"}");

        assertThat(attached.statusCode()).as(attached.body()).isEqualTo(201);
        JsonNode json = JSON.readTree(attached.body());
        assertThat(json.path("database").asText()).isEqualTo("STAGING_URL");
        assertThat(json.path("server").asText()).startsWith("PostgreSQL ");
        assertThat(json.path("dump_tool").asText()).startsWith("pg_dump ");
        assertThat(json.path("covered").asBoolean()).isTrue();
        assertThat(JSON.readTree(maria.body()).path("server").asText()).as("what the connection test found").startsWith("MariaDB 10.");
        assertThat(again.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(again.body()).path("message").asText())
                .isEqualTo("STAGING_URL is already attached (127.0.0.1/" + first.substring(first.lastIndexOf('/') + 1)
                        + "). To point it at this URL instead, attach again with \"Replace\" ticked; or choose another name.");

        var replaced = attach(token, "{\"name\": \"STAGING\", \"url\": \"" + second + "\", \"replace\": true}");
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        assertThat(list(token)).extracting(d -> d.path("database").asText() + " " + d.path("name").asText())
                .containsExactly("STAGING_URL " + second.substring(second.lastIndexOf('/') + 1), "SHOP_URL " + mariadb);
    }

    @Test
    void the_free_plan_refuses_a_second_attach_and_lists_config_var_databases_beyond_it_as_not_covered() throws Exception {
        UUID addon = app.provisionedAddon("free");
        String token = token(addon);
        app.attach(addon, "MAIN", TestDatabase.create("free_main"));

        var refused = attach(token, "{\"name\": \"SECOND\", \"url\": \"" + TestDatabase.create("free_second") + "\"}");
        app.clock.advance(java.time.Duration.ofSeconds(1)); // the app's database appears later: MAIN_URL keeps the plan's place
        new io.autobus.addon.AddonRepository(app.db).replaceDatabases(addon,
                List.of(new FoundDatabase("HEROKU_POSTGRESQL_PURPLE_URL", "postgresql", "ec2.example.com", 5432, "purple")),
                app.clock.instant());

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(refused.body()).path("message").asText()).isEqualTo("The free plan backs up 1 database and this add-on has"
                + " MAIN_URL. The travel plan covers 5: heroku addons:upgrade autobus:travel.");
        var listed = list(token);
        assertThat(listed).extracting(d -> d.path("database").asText() + " " + d.path("source").asText() + " " + d.path("covered").asBoolean())
                .containsExactly("MAIN_URL attached true", "HEROKU_POSTGRESQL_PURPLE_URL config_var false");
        assertThat(listed.get(1).path("not_covered_reason").asText()).isEqualTo("HEROKU_POSTGRESQL_PURPLE_URL is not covered by your plan:"
                + " the free plan backs up 1 database (MAIN_URL). Upgrade to travel (5 databases) to back it up: heroku addons:upgrade autobus:travel.");
    }

    @Test
    void detaching_stops_the_backups_keeps_the_snapshots_and_refuses_the_app_s_own_config_vars() throws Exception {
        UUID addon = app.provisionedAddon("travel");
        String token = token(addon);
        app.attach(addon, "STAGING", TestDatabase.create("detach"));
        new io.autobus.addon.AddonRepository(app.db).replaceDatabases(addon,
                List.of(new FoundDatabase("DATABASE_URL", "postgresql", "ec2.example.com", 5432, "main")), app.clock.instant());
        var snapshots = new SnapshotRepository(app.db);
        String kept = snapshots.createOrFind(new SnapshotRepository.NewSnapshot(SnapshotKeys.newId(), addon, "STAGING_URL", "postgresql",
                SnapshotKind.MANUAL, "before the big migration", null, UUID.randomUUID(), app.clock.instant()));

        var detached = app.http.send("DELETE", "/api/databases/STAGING_URL?token=" + token, null, Map.of());
        var again = app.http.send("DELETE", "/api/databases/STAGING_URL?token=" + token, null, Map.of());
        var own = app.http.send("DELETE", "/api/databases/DATABASE_URL?token=" + token, null, Map.of());

        assertThat(detached.statusCode()).as(detached.body()).isEqualTo(200);
        assertThat(JSON.readTree(detached.body()).path("message").asText())
                .isEqualTo("Database has been detached; its snapshots are kept until their retention ends");
        assertThat(list(token)).extracting(d -> d.path("database").asText()).containsExactly("DATABASE_URL");
        assertThat(snapshots.find(kept)).isPresent();
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(own.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(own.body()).path("message").asText()).contains("DATABASE_URL is one of the app's config vars");
    }

    private String token(UUID addon) {
        return new ApiTokens(app.db).enable(addon, true).orElseThrow();
    }

    private HttpResponse<String> attach(String token, String body) {
        return app.http.send("POST", "/api/databases?token=" + token, body, Map.of("Content-Type", "application/json"));
    }

    private List<JsonNode> list(String token) throws Exception {
        var response = app.http.send("GET", "/api/databases?token=" + token, null, Map.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        var list = new java.util.ArrayList<JsonNode>();
        JSON.readTree(response.body()).forEach(list::add);
        return list;
    }
}
