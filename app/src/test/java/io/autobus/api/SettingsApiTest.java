package io.autobus.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autobus.addon.AddonRepository;
import io.autobus.crypto.SecretBox;
import io.autobus.support.HerokuPartner;
import io.autobus.support.TestApp;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code PATCH /api/settings} takes a body of the documented types only, and applies all of it or nothing. */
class SettingsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestApp app = TestApp.shared();
    private final String token;

    SettingsApiTest() throws Exception {
        UUID addonId = UUID.randomUUID();
        HerokuPartner.of(app).provision(addonId, "travel", "grant-" + addonId);
        app.attach(addonId, "DATABASE", io.autobus.support.TestDatabase.create("settings_api"));
        token = new ApiTokens(app.db).enable(addonId, true).orElseThrow();
        var start = patch("{\"database\": \"DATABASE_URL\", \"exclude_tables\": [\"audit_log\"]}");
        assertThat(start.statusCode()).as(start.body()).isEqualTo(200);
    }

    @Test
    void a_field_of_the_wrong_type_is_a_422_naming_it_and_the_valid_fields_beside_it_change_nothing() throws Exception {
        var bodies = Map.ofEntries(
                Map.entry("{\"backup_hour\": 5, \"database\": \"DATABASE_URL\", \"exclude_tables\": \"items\"}", "exclude_tables must be a list"),
                Map.entry("{\"backup_hour\": 5, \"database\": \"DATABASE_URL\", \"exclude_tables\": [null]}", "exclude_tables[0] must not be null"),
                Map.entry("{\"backup_hour\": 5, \"database\": \"DATABASE_URL\", \"exclude_tables\": [\"a\", 7]}", "exclude_tables[1] must be a string"),
                Map.entry("{\"backup_hour\": 5, \"database\": \"DATABASE_URL\", \"exclude_tables\": null}", "exclude_tables must not be null"),
                Map.entry("{\"backup_hour\": 5, \"database\": 3, \"exclude_tables\": []}", "database must be a string"),
                Map.entry("{\"time_zone\": \"Europe/Berlin\", \"backup_hour\": \"5\"}", "backup_hour must be a whole number"),
                Map.entry("{\"time_zone\": \"Europe/Berlin\", \"backup_hour\": 5.5}", "backup_hour must be a whole number"),
                Map.entry("{\"time_zone\": \"Europe/Berlin\", \"backup_hour\": 99999999999}", "backup_hour"),
                Map.entry("{\"backup_hour\": 5, \"time_zone\": 1}", "time_zone must be a string"),
                Map.entry("{\"backup_hour\": 5, \"weekly_day\": [\"monday\"]}", "weekly_day must be a string"),
                Map.entry("{\"backup_hour\": 5, \"weekly_day\": true}", "weekly_day must be a string"),
                Map.entry("{\"backup_hour\": 5, \"monthly\": \"yes\"}", "monthly must be true or false"),
                Map.entry("{\"backup_hour\": 5, \"monthly\": 1}", "monthly must be true or false"),
                Map.entry("{\"backup_hour\": 5, \"monthly\": null}", "monthly must not be null"),
                Map.entry("{\"backup_hour\": 5, \"backup_houre\": 6}", "backup_houre is not a field"));
        JsonNode before = settings();

        for (var body : bodies.entrySet()) {
            var response = patch(body.getKey());

            assertThat(response.statusCode()).as(body.getKey() + " → " + response.body()).isEqualTo(422);
            assertThat(JSON.readTree(response.body()).path("message").asText()).as(body.getKey()).contains(body.getValue());
            assertThat(settings()).as("after " + body.getKey()).isEqualTo(before);
        }
        assertThat(before.path("databases").get(0).path("exclude_tables")).hasSize(1);
    }

    @Test
    void a_change_refused_half_way_leaves_the_part_before_it_undone() throws Exception {
        JsonNode before = settings();

        var unknownDatabase = patch("{\"backup_hour\": 5, \"time_zone\": \"Europe/Berlin\", \"database\": \"NOPE_URL\", \"exclude_tables\": [\"a\"]}");
        var optionLookalike = patch("{\"backup_hour\": 5, \"database\": \"DATABASE_URL\", \"exclude_tables\": [\"--file=/x\"]}");

        assertThat(unknownDatabase.statusCode()).as(unknownDatabase.body()).isEqualTo(422);
        assertThat(unknownDatabase.body()).contains("No database NOPE_URL");
        assertThat(optionLookalike.statusCode()).as(optionLookalike.body()).isEqualTo(422);
        assertThat(settings()).isEqualTo(before);
    }

    @Test
    void a_valid_change_applies_every_field_at_once() throws Exception {
        var response = patch("{\"token\": \"" + token + "\", \"backup_hour\": 5, \"time_zone\": \"Europe/Berlin\", \"weekly_day\": \"monday\", "
                + "\"monthly\": true, \"database\": \"DATABASE_URL\", \"exclude_tables\": []}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode after = settings();
        assertThat(after.path("backup_hour").asInt()).isEqualTo(5);
        assertThat(after.path("time_zone").asText()).isEqualTo("Europe/Berlin");
        assertThat(after.path("weekly_day").asText()).isEqualTo("Monday");
        assertThat(after.path("monthly").asBoolean()).isTrue();
        assertThat(after.path("databases").get(0).path("exclude_tables")).isEmpty();
        assertThat(JSON.readTree(response.body())).isEqualTo(after);
        var blankZone = patch("{\"time_zone\": \"\"}");
        assertThat(blankZone.statusCode()).as("an empty string is still a string: " + blankZone.body()).isEqualTo(200);
        assertThat(settings().path("time_zone").asText()).isEqualTo("UTC");
    }

    @Test
    void a_malformed_or_private_key_is_a_422_with_what_to_paste_and_changes_nothing() throws Exception {
        String valid = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
        var bodies = Map.of(
                "{\"recipient\": \"age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8q\"}", "typo",
                "{\"recipient\": \"age1abc\"}", "62 characters",
                "{\"recipient\": \"AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ\"}", "private key",
                "{\"recipient\": \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG me@host\"}", "not SSH or PGP keys",
                "{\"recipient\": 7}", "recipient must be a string",
                "{}", "recipient is required: your age public key (age1...), or null to stop encrypting",
                "{\"recipient\": \"" + valid + "\", \"colour\": 1}", "colour is not a field",
                "{\"recipient\": null, \"phrase\": 3}", "phrase must be a string");
        JsonNode before = settings();

        for (var body : bodies.entrySet()) {
            var response = put(body.getKey());

            assertThat(response.statusCode()).as(body.getKey() + " → " + response.body()).isEqualTo(422);
            assertThat(JSON.readTree(response.body()).path("message").asText()).as(body.getKey()).contains(body.getValue());
        }
        assertThat(settings()).isEqualTo(before);
        assertThat(before.path("encryption_recipient").isNull()).isTrue();
    }

    @Test
    void a_key_is_set_shown_and_turned_off_with_null_or_delete() throws Exception {
        String recipient = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

        var set = put("{\"recipient\": \"  " + recipient + "\\n\"}");
        JsonNode on = settings();
        var offWithNull = put("{\"recipient\": null}");
        JsonNode off = settings();
        put("{\"recipient\": \"" + recipient + "\"}");
        var deleted = app.http.send("DELETE", "/api/settings/encryption", null, Map.of("Authorization", "Bearer " + token));

        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(on.path("encryption_recipient").asText()).isEqualTo(recipient);
        assertThat(offWithNull.statusCode()).isEqualTo(200);
        assertThat(off.path("encryption_recipient").isNull()).isTrue();
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(settings().path("encryption_recipient").isNull()).isTrue();
    }

    @Test
    void the_sample_opens_with_the_customer_s_identity_and_its_phrase_proves_the_key() throws Exception {
        var identity = io.autobus.support.AgeIdentity.generate(app.settings.home());
        String recipient = identity.recipient().text();
        var sample = app.http.getBytes("/api/settings/encryption/sample?recipient=" + recipient, Map.of("Authorization", "Bearer " + token));
        assertThat(sample.statusCode()).isEqualTo(200);
        assertThat(sample.headers().firstValue("Content-Disposition").orElse("")).contains("autobus-sample.txt.age");
        java.nio.file.Path file = app.settings.home().resolve("autobus-sample-" + System.nanoTime() + ".txt.age");
        java.nio.file.Files.write(file, sample.body());
        String text = new String(identity.decrypt(file), java.nio.charset.StandardCharsets.UTF_8);
        String phrase = text.strip().lines().reduce((first, second) -> second).orElseThrow();

        var wrong = put("{\"recipient\": \"" + recipient + "\", \"phrase\": \"aaaaa-bbbbb-ccccc\"}");
        var right = put("{\"recipient\": \"" + recipient + "\", \"phrase\": \"" + phrase + "\"}");

        assertThat(phrase).matches("[a-z2-9]{5}-[a-z2-9]{5}-[a-z2-9]{5}");
        assertThat(wrong.statusCode()).isEqualTo(422);
        assertThat(wrong.body()).contains("not the phrase");
        assertThat(right.statusCode()).as(right.body()).isEqualTo(200);
        assertThat(settings().path("encryption_recipient").asText()).isEqualTo(recipient);
        var malformed = app.http.send("GET", "/api/settings/encryption/sample?recipient=age1nope", null, Map.of("Authorization", "Bearer " + token));
        assertThat(malformed.statusCode()).isEqualTo(422);
        java.nio.file.Files.delete(identity.file());
        java.nio.file.Files.delete(file);
    }

    private HttpResponse<String> put(String body) {
        return app.http.send("PUT", "/api/settings/encryption", body, Map.of("Authorization", "Bearer " + token));
    }

    private JsonNode settings() throws Exception {
        var response = app.http.send("GET", "/api/settings", null, Map.of("Authorization", "Bearer " + token));
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> patch(String body) {
        return app.http.send("PATCH", "/api/settings", body, Map.of("Authorization", "Bearer " + token));
    }
}
