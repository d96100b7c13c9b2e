package io.autobus.addon;

import static io.autobus.db.generated.Tables.ADDON;
import static io.autobus.db.generated.Tables.ADDON_DATABASE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autobus.support.HerokuPartner;
import io.autobus.support.HttpDriver;
import io.autobus.support.TestApp;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Conformance of the add-on partner API, over HTTP against the running service. */
class PartnerProtocolTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestApp app = TestApp.shared();
    private final HerokuPartner heroku = HerokuPartner.of(app);

    static Stream<Arguments> routesAndBadCredentials() {
        String id = UUID.randomUUID().toString();
        var routes = List.of(
                new String[] {"POST", "/heroku/resources", HerokuPartner.provisionBody(UUID.fromString(id), "free", "code")},
                new String[] {"PUT", "/heroku/resources/" + id, "{\"plan\":\"travel\"}"},
                new String[] {"DELETE", "/heroku/resources/" + id, null});
        var credentials = List.<Map<String, String>>of(
                Map.of(),
                Map.of("Authorization", HttpDriver.basic(TestApp.ADDON_ID, "wrong-password")),
                Map.of("Authorization", HttpDriver.basic("someone-else", TestApp.PASSWORD)),
                Map.of("Authorization", "Bearer " + TestApp.PASSWORD));
        return routes.stream().flatMap(route -> credentials.stream().map(c -> Arguments.of(route[0], route[1], route[2], c, UUID.fromString(id))));
    }

    @ParameterizedTest(name = "{0} {1} with {3} is refused")
    @MethodSource("routesAndBadCredentials")
    void every_partner_route_refuses_missing_or_wrong_credentials(String method, String path, String body,
                                                                  Map<String, String> headers, UUID id) throws Exception {
        var response = app.http.send(method, path, body, headers);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"autobus\"");
        assertThat(message(response)).isNotBlank();
        assertThat(addonCount(id)).isZero();
    }

    @Test
    void provision_answers_with_an_autobus_url_carrying_a_key_of_its_own() throws Exception {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();

        var response = heroku.provision(first, "free", "grant-" + first);
        var other = heroku.provision(second, "travel", "grant-" + second);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("id").asText()).isEqualTo(first.toString());
        assertThat(body.path("message").asText()).contains("collaborator");
        JsonNode config = body.path("config");
        assertThat(config.size()).isEqualTo(1);
        config.properties().forEach(var -> {
            assertThat(var.getKey()).matches("^AUTOBUS_[0-9A-Z_]+$");
            assertThat(var.getValue().isTextual()).isTrue();
        });
        String url = config.path("AUTOBUS_URL").asText();
        assertThat(url).matches("https://addon:[A-Za-z0-9_-]{43}@autobus\\.example\\.com/");
        assertThat(JSON.readTree(other.body()).path("config").path("AUTOBUS_URL").asText()).isNotEqualTo(url);
        assertThat(app.db.fetchOne(ADDON, ADDON.ID.eq(second)).getPlan()).isEqualTo("travel");
    }

    @Test
    void a_repeated_provision_returns_the_same_resource_and_creates_no_second_one() {
        UUID id = UUID.randomUUID();

        var first = heroku.provision(id, "free", "grant-" + id);
        var again = heroku.provision(id, "free", "grant-" + id);

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(addonCount(id)).isEqualTo(1);
    }

    @Test
    void ten_simultaneous_identical_provisions_give_one_resource_and_ten_identical_answers() throws Exception {
        UUID id = UUID.randomUUID();
        var start = new CountDownLatch(1);
        var answers = new ArrayList<Future<HttpResponse<String>>>();
        try (var pool = Executors.newFixedThreadPool(10)) {
            for (int i = 0; i < 10; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return heroku.provision(id, "free", "grant-" + id);
                }));
            }
            start.countDown();
            var bodies = new ArrayList<String>();
            for (var answer : answers) {
                var response = answer.get();
                assertThat(response.statusCode()).isEqualTo(200);
                bodies.add(response.body());
            }
            assertThat(bodies).allMatch(body -> body.equals(bodies.getFirst()));
        }
        assertThat(addonCount(id)).isEqualTo(1);
    }

    @Test
    void provisioning_an_unknown_plan_is_refused_with_a_message_and_creates_nothing() throws Exception {
        UUID id = UUID.randomUUID();

        var response = heroku.provision(id, "platinum", "grant-" + id);

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(message(response)).contains("platinum").contains("free").contains("travel");
        assertThat(addonCount(id)).isZero();
    }

    @Test
    void bad_provision_requests_get_clear_json_errors_and_create_nothing() throws Exception {
        UUID id = UUID.randomUUID();
        String valid = HerokuPartner.provisionBody(id, "free", "grant-" + id);

        assertError(heroku.provision("{\"uuid\": \"" + id + "\", "), 400, "not valid JSON");
        assertError(heroku.provision("[1, 2]"), 400, "JSON object");
        assertError(heroku.provision(valid.replace("\"uuid\"", "\"uuid_\"")), 422, "uuid");
        assertError(heroku.provision(valid.replace("\"plan\"", "\"plan_\"")), 422, "plan");
        assertError(heroku.provision(valid.replace("\"region\"", "\"region_\"")), 422, "region");
        assertError(heroku.provision(valid.replace("\"oauth_grant\"", "\"oauth_grant_\"")), 422, "oauth_grant");
        assertError(heroku.provision(valid.replace(id.toString(), "not-a-uuid")), 422, "not a UUID");
        assertError(heroku.provision(valid.replace("\"options\": {}", "\"options\": {\"padding\": \"" + "x".repeat(70_000) + "\"}")),
                413, "larger than");
        assertThat(addonCount(id)).isZero();
    }

    @Test
    void provision_and_plan_change_ignore_fields_autobus_does_not_read_but_name_a_wrong_typed_one() throws Exception {
        UUID id = UUID.randomUUID();
        String valid = HerokuPartner.provisionBody(id, "free", "grant-" + id);
        String more = valid.replaceFirst("\\{", "{\"heroku_id\": \"app123@heroku.com\", \"logplex_token\": null, "
                + "\"app\": {\"id\": \"" + UUID.randomUUID() + "\", \"name\": \"shop-app\"}, \"options\": {\"size\": 3}, "
                + "\"future_field\": [1, {\"x\": null}], ");

        assertError(heroku.provision(valid.replace("\"plan\": \"free\"", "\"plan\": 5")), 422, "plan must be a string");
        assertError(heroku.provision(valid.replace("\"code\": \"grant-" + id + "\"", "\"code\": 7")), 422, "oauth_grant.code must be a string");
        assertError(heroku.provision(valid.replace("\"code\": \"grant-" + id + "\"", "\"code\": \" \"")), 422, "oauth_grant.code is required");
        assertThat(addonCount(id)).isZero();
        var provisioned = heroku.provision(more);
        var changed = app.http.send("PUT", "/heroku/resources/" + id, "{\"plan\": \"autobus:travel\", \"heroku_id\": \"app123@heroku.com\", "
                + "\"options\": {}, \"oauth_grant\": null}", Map.of("Authorization", HttpDriver.basic(TestApp.ADDON_ID, TestApp.PASSWORD)));

        assertThat(provisioned.statusCode()).as(provisioned.body()).isEqualTo(200);
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(app.db.fetchOne(ADDON, ADDON.ID.eq(id)).getPlan()).isEqualTo("travel");
    }

    @Test
    void plan_change_moves_a_known_addon_to_a_known_plan() throws Exception {
        UUID id = provisioned("free");

        var response = heroku.changePlan(id.toString(), "travel");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("config").isObject()).isTrue();
        assertThat(body.path("message").asText()).contains("travel");
        assertThat(app.db.fetchOne(ADDON, ADDON.ID.eq(id)).getPlan()).isEqualTo("travel");
    }

    @Test
    void plan_change_to_an_unknown_plan_is_422_and_keeps_the_plan() throws Exception {
        UUID id = provisioned("free");

        var response = heroku.changePlan(id.toString(), "autobus:platinum");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(message(response)).contains("platinum");
        assertThat(app.db.fetchOne(ADDON, ADDON.ID.eq(id)).getPlan()).isEqualTo("free");
    }

    @Test
    void plan_change_of_an_unknown_addon_is_404() throws Exception {
        assertError(heroku.changePlan(UUID.randomUUID().toString(), "travel"), 404, "No Autobus add-on");
        assertError(heroku.changePlan("not-an-id", "travel"), 404, "No Autobus add-on");
    }

    @Test
    void deprovision_removes_the_addon_and_what_it_owns_and_a_retry_sees_it_gone() throws Exception {
        UUID id = provisioned("free");
        app.db.insertInto(ADDON_DATABASE)
                .set(ADDON_DATABASE.ADDON_ID, id).set(ADDON_DATABASE.CONFIG_VAR, "DATABASE_URL")
                .set(ADDON_DATABASE.ENGINE, "postgresql").set(ADDON_DATABASE.HOST, "db.example.com")
                .set(ADDON_DATABASE.PORT, 5432).set(ADDON_DATABASE.DATABASE_NAME, "d1")
                .set(ADDON_DATABASE.DISCOVERED_AT, OffsetDateTime.now())
                .execute();

        var response = heroku.deprovision(id.toString());

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(addonCount(id)).isZero();
        assertThat(app.db.fetchCount(ADDON_DATABASE, ADDON_DATABASE.ADDON_ID.eq(id))).isZero();
        assertError(heroku.deprovision(id.toString()), 410, "already removed");
        assertError(heroku.changePlan(id.toString(), "travel"), 404, "No Autobus add-on");
    }

    @Test
    void deprovision_of_an_addon_never_provisioned_is_404() throws Exception {
        assertError(heroku.deprovision(UUID.randomUUID().toString()), 404, "No Autobus add-on");
    }

    @Test
    void unknown_partner_routes_answer_404_in_json() throws Exception {
        var response = app.http.send("GET", "/heroku/nothing-here", null,
                Map.of("Authorization", HttpDriver.basic(TestApp.ADDON_ID, TestApp.PASSWORD)));

        assertError(response, 404, "nothing");
    }

    private UUID provisioned(String plan) {
        UUID id = UUID.randomUUID();
        assertThat(heroku.provision(id, plan, "grant-" + id).statusCode()).isEqualTo(200);
        return id;
    }

    private int addonCount(UUID id) {
        return app.db.fetchCount(ADDON, ADDON.ID.eq(id));
    }

    private static void assertError(HttpResponse<String> response, int status, String messagePart) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(message(response)).contains(messagePart);
    }

    private static String message(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).path("message").asText();
    }
}
