package io.autobus.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.autobus.api.ApiTokens;
import io.autobus.support.DashboardSession;
import io.autobus.support.HerokuPartner;
import io.autobus.support.HttpDriver;
import io.autobus.support.TestApp;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Malformed, oversized, wrongly typed and malicious input on the partner API, the REST API and the
 * dashboard's forms: always a 4xx with a message (JSON or a page), never a 500 or a stack trace,
 * and no effect on another add-on.
 */
class HostileInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> NASTY = List.of(
            "' OR 1=1 --", "\"; DROP TABLE addon; --", "$(rm -rf /)", "`id`", "; cat /etc/passwd", "--file=/etc/passwd",
            "../../../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%00", "\u0000", "<script>alert(1)</script>", "ünïcødé ✓ 日本語 😀",
            "\u202Eevil", "a".repeat(5000), "{\"a\":", "null", "-1", "1e309", "");

    private final TestApp app = TestApp.shared();
    /**
     * A new connection per request: Jetty answers a request line it cannot parse (a NUL) with 400
     * and closes the connection, which a reused client connection would only notice later.
     */
    private final HttpDriver http = new HttpDriver(app.http.baseUrl()) {
        @Override
        public HttpResponse<String> send(String method, String path, String json, Map<String, String> headers) {
            return new HttpDriver(baseUrl()).sendOnce(method, path, json, headers);
        }
    };

    @Test
    void the_partner_api_answers_bad_fields_with_client_errors_only() throws Exception {
        // Through the one-connection-per-request driver: a NUL in a path is answered with 400 and a closed connection.
        HerokuPartner heroku = new HerokuPartner(http, TestApp.ADDON_ID, TestApp.PASSWORD);
        for (String nasty : NASTY) {
            String quoted = JSON.writeValueAsString(nasty);
            for (String body : List.of(
                    "{\"uuid\": " + quoted + ", \"plan\": \"free\", \"region\": \"us\", \"oauth_grant\": {\"code\": \"c\"}}",
                    "{\"uuid\": \"" + UUID.randomUUID() + "\", \"plan\": " + quoted + ", \"region\": \"us\", \"oauth_grant\": {\"code\": \"c\"}}",
                    "{\"uuid\": \"" + UUID.randomUUID() + "\", \"plan\": \"free\", \"region\": \"us\", \"oauth_grant\": " + quoted + "}",
                    "{\"uuid\": [" + quoted + "], \"plan\": {}, \"region\": 7}",
                    nasty)) {
                assertClientError(heroku.provision(body), "POST /heroku/resources " + body);
            }
            assertClientError(heroku.changePlan(URLEncoder.encode(nasty, StandardCharsets.UTF_8), "travel"), "PUT " + nasty);
            assertClientError(heroku.deprovision(URLEncoder.encode(nasty, StandardCharsets.UTF_8)), "DELETE " + nasty);
        }
    }

    @Test
    void the_rest_api_answers_bad_parameters_with_client_errors_and_touches_nothing_else() throws Exception {
        UUID addon = UUID.randomUUID();
        HerokuPartner.of(app).provision(addon, "free", "grant-" + addon);
        String token = new ApiTokens(app.db).enable(addon, true).orElseThrow();
        UUID bystander = UUID.randomUUID();
        HerokuPartner.of(app).provision(bystander, "free", "grant-" + bystander);
        String bystanderToken = new ApiTokens(app.db).enable(bystander, true).orElseThrow();

        for (String nasty : NASTY) {
            String encoded = URLEncoder.encode(nasty, StandardCharsets.UTF_8);
            String quoted = JSON.writeValueAsString(nasty);
            Map<String, String> auth = Map.of("Authorization", "Bearer " + token);
            assertClientError(http.send("GET", "/api/snapshots/" + encoded, null, auth), "GET snapshot " + nasty);
            assertClientError(http.send("DELETE", "/api/snapshots/" + encoded, null, auth), "DELETE snapshot " + nasty);
            assertClientError(http.send("GET", "/api/snapshots/check_snapshot?jid=" + encoded, null, auth), "check " + nasty);
            assertClientError(http.send("GET", "/api/snapshots?kind=" + encoded + "&limit=" + encoded, null, auth), "list " + nasty);
            assertClientError(http.send("POST", "/api/snapshots", "{\"database\": " + quoted + ", \"description\": " + quoted + "}", auth),
                    "create " + nasty);
            assertClientError(http.send("PATCH", "/api/settings", "{\"backup_hour\": " + quoted + ", \"time_zone\": " + quoted + "}", auth),
                    "settings " + nasty);
            assertClientError(http.send("PATCH", "/api/settings", "{\"database\": \"DATABASE_URL\", \"exclude_tables\": [" + quoted + "]}", auth),
                    "exclude " + nasty);
            assertClientError(http.send("GET", "/api/snapshots?token=" + encoded, null, Map.of()), "token " + nasty);
        }
        var untouched = http.send("GET", "/api/settings", null, Map.of("Authorization", "Bearer " + bystanderToken));
        assertThat(JSON.readTree(untouched.body()).path("backup_hour").asInt()).as("the bystander's settings").isEqualTo(3);
    }

    @Test
    void the_dashboard_forms_answer_bad_values_with_readable_pages() {
        UUID addon = UUID.randomUUID();
        HerokuPartner.of(app).provision(addon, "free", "grant-" + addon);
        var browser = DashboardSession.open(http, addon, app.clock.instant(), TestApp.SSO_SALT, "app");
        var softly = new org.assertj.core.api.SoftAssertions();
        for (String nasty : NASTY) {
            for (var form : List.of(
                    Map.entry("/dashboard/databases", Map.of("name", nasty, "url", nasty)),
                    Map.entry("/dashboard/snapshots", Map.of("database", nasty, "description", nasty)),
                    Map.entry("/dashboard/schedule", Map.of("hour", nasty, "time_zone", nasty, "weekly_day", nasty)),
                    Map.entry("/dashboard/databases/options", Map.of("database", nasty, "exclude_tables", nasty, "compression_level", nasty)),
                    Map.entry("/dashboard/notifications", Map.of("notify_email", nasty, "webhook_url", nasty)),
                    Map.entry("/dashboard/api", Map.of("action", nasty)))) {
                var response = browser.post(form.getKey(), form.getValue());
                // A blank address and webhook (control characters are trimmed) mean "the owner's address, no webhook".
                boolean meansDefault = form.getKey().equals("/dashboard/notifications") && nasty.trim().isEmpty();
                softly.assertThat(response.statusCode()).as(form.getKey() + " with [" + nasty + "]: refused, not accepted (302)")
                        .isIn(meansDefault ? List.of(302) : List.of(404, 422));
                softly.assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
            }
        }
        softly.assertAll();
        assertThat(browser.page().body()).doesNotContain("<script>alert(1)</script>");
        assertThat(app.db.fetchCount(io.autobus.db.generated.Tables.SNAPSHOT, io.autobus.db.generated.Tables.SNAPSHOT.ADDON_ID.eq(addon)))
                .as("no refused form took a snapshot").isZero();
    }

    @Test
    void malformed_basic_credentials_are_a_401_with_a_message_on_both_apis() throws Exception {
        var malformed = List.of("Basic %%%", "Basic " + base64("no colon in here"), "Basic ", "basic ====", "Basic " + base64("") + "!");
        for (String authorization : malformed) {
            for (String[] route : List.of(new String[] {"POST", "/heroku/resources"}, new String[] {"DELETE", "/heroku/resources/" + UUID.randomUUID()})) {
                var response = http.send(route[0], route[1], route[0].equals("POST") ? "{}" : null, Map.of("Authorization", authorization));
                assertThat(response.statusCode()).as(route[1] + " with " + authorization + " → " + response.body()).isEqualTo(401);
                assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"autobus\"");
                assertThat(JSON.readTree(response.body()).path("message").asText()).isNotBlank();
            }
            for (String[] route : List.of(new String[] {"GET", "/api/snapshots"}, new String[] {"PATCH", "/api/settings"})) {
                var response = http.send(route[0], route[1], route[0].equals("PATCH") ? "{}" : null, Map.of("Authorization", authorization));
                assertThat(response.statusCode()).as(route[1] + " with " + authorization + " → " + response.body()).isEqualTo(401);
                assertThat(JSON.readTree(response.body()).path("message").asText()).isNotBlank();
            }
        }
    }

    private static String base64(String value) {
        return java.util.Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertClientError(HttpResponse<String> response, String what) {
        assertThat(response.statusCode()).as(what + " → " + response.body()).isBetween(400, 499);
        assertThat(response.body()).as(what).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
