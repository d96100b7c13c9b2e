package io.autobus.release;

import static io.autobus.db.generated.Tables.APP_RELEASE;
import static io.autobus.db.generated.Tables.NOTIFICATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autobus.addon.AddonRepository;
import io.autobus.api.ApiTokens;
import io.autobus.crypto.SecretBox;
import io.autobus.release.ReleaseRepository;
import io.autobus.support.HerokuPartner;
import io.autobus.support.SourceDatabases;
import io.autobus.support.TestApp;
import io.autobus.support.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Heroku's api:release deliveries, believed only when authorized and signed, and the snapshots tagged with the release. */
class ReleaseWebhooksTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestApp app = TestApp.shared();
    private final ReleaseRepository releases = new ReleaseRepository(app.db, new SecretBox(TestApp.SECRET_KEY));

    @Test
    void only_authorized_signed_first_deliveries_of_releases_are_kept() throws Exception {
        UUID addon = provisioned();
        var credentials = releases.credentials(addon);
        String v42 = release("d-42", 42, "succeeded", "Deploy 0a1b2c3 and more", app.clock.instant().minusSeconds(60));

        assertThat(deliver(addon, v42, credentials.authorization(), credentials.secret()).statusCode()).isEqualTo(200);
        assertThat(stored(addon)).containsExactly("42 succeeded 0a1b2c3");

        String v43 = release("d-43", 43, "pending", "Deploy fffffff", app.clock.instant().minusSeconds(30));
        assertThat(deliver(addon, v43, credentials.authorization(), "not-the-secret").statusCode()).as("wrong signature").isEqualTo(401);
        assertThat(deliver(addon, v43, "Bearer guess", credentials.secret()).statusCode()).as("wrong authorization").isEqualTo(401);
        assertThat(app.http.send("POST", "/heroku/webhooks?addon=" + UUID.randomUUID(), v43, Map.of("Authorization",
                credentials.authorization(), "Heroku-Webhook-Hmac-SHA256", ReleaseWebhooks.hmac(credentials.secret(),
                        v43.getBytes(StandardCharsets.UTF_8)))).statusCode()).as("another add-on").isEqualTo(401);
        assertThat(app.http.send("POST", "/heroku/webhooks?addon=" + addon, "x".repeat(70_000), Map.of()).statusCode())
                .as("a body over the limit").isEqualTo(413);
        assertThat(stored(addon)).containsExactly("42 succeeded 0a1b2c3");

        String replayed = release("d-42", 42, "failed", "Rollback", app.clock.instant());
        var again = deliver(addon, replayed, credentials.authorization(), credentials.secret());
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).path("message").asText()).contains("before");
        String dyno = "{\"resource\": \"dyno\", \"action\": \"create\", \"data\": {}, \"webhook_metadata\": {\"delivery\": {\"id\": \"d-x\"}}}";
        assertThat(deliver(addon, dyno, credentials.authorization(), credentials.secret()).statusCode()).as("ignored").isEqualTo(200);
        assertThat(stored(addon)).containsExactly("42 succeeded 0a1b2c3");

        assertThat(deliver(addon, v43, credentials.authorization(), credentials.secret()).statusCode()).isEqualTo(200);
        String v43Done = release("d-43b", 43, "succeeded", "Deploy fffffff", app.clock.instant().minusSeconds(30));
        assertThat(deliver(addon, v43Done, credentials.authorization(), credentials.secret()).statusCode()).isEqualTo(200);
        String late = release("d-43c", 43, "pending", "Deploy fffffff", app.clock.instant().minusSeconds(30));
        deliver(addon, late, credentials.authorization(), credentials.secret());
        assertThat(stored(addon)).as("a late pending does not undo succeeded").containsExactly("42 succeeded 0a1b2c3", "43 succeeded fffffff");
    }

    @Test
    void a_delivery_with_all_that_heroku_sends_is_kept_and_a_wrong_typed_version_is_refused_by_name() throws Exception {
        UUID addon = provisioned();
        var credentials = releases.credentials(addon);
        String full = """
                {"action": "update", "actor": {"email": "dev@example.com", "id": "%s"}, "created_at": "2026-01-02T03:04:05Z",
                 "id": "%s", "previous_data": {"status": "pending"}, "published_at": null, "resource": "release", "sequence": null,
                 "updated_at": "2026-01-02T03:04:05Z", "version": "application/vnd.heroku+json; version=3",
                 "data": {"addon_plan_names": ["autobus:travel"], "app": {"id": "%s", "name": "shop-app"}, "created_at": "2026-01-02T03:04:05Z",
                          "current": true, "description": "Deploy 7777777", "id": "%s", "output_stream_url": null,
                          "slug": {"id": "%s"}, "status": "succeeded", "updated_at": "2026-01-02T03:04:05Z",
                          "user": {"email": "dev@example.com", "id": "%s"}, "version": 77},
                 "webhook_metadata": {"attempt": {"id": "%s"}, "delivery": {"id": "full-77"}, "event": {"id": "%s", "include": "api:release"},
                                      "webhook": {"id": "%s"}}}
                """.formatted(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        String wrongVersion = full.replace("\"version\": 77", "\"version\": \"78\"").replace("full-77", "full-78");

        var kept = deliver(addon, full, credentials.authorization(), credentials.secret());
        var refused = deliver(addon, wrongVersion, credentials.authorization(), credentials.secret());

        assertThat(kept.statusCode()).as(kept.body()).isEqualTo(200);
        assertThat(stored(addon)).containsExactly("77 succeeded 7777777");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(JSON.readTree(refused.body()).path("message").asText()).contains("version must be a whole number");
        assertThat(releases.delivered("full-78")).as("refused, so Heroku's retry is not taken for a duplicate").isFalse();
    }

    @Test
    void snapshots_are_tagged_with_the_release_current_when_they_started_and_found_by_it() throws Exception {
        UUID addon = provisioned();
        String token = new ApiTokens(app.db).enable(addon, true).orElseThrow();
        String source = TestDatabase.create("release_tag");
        try (var connection = SourceDatabases.postgres(source); var sql = connection.createStatement()) {
            sql.execute("CREATE TABLE t (id int)");
        }
        app.attach(addon, "DATABASE", source);
        var credentials = releases.credentials(addon);
        deliver(addon, release("t-42", 42, "succeeded", "Deploy 4242424", app.clock.instant().minusSeconds(60)),
                credentials.authorization(), credentials.secret());

        String first = snapshot(token);
        deliver(addon, release("t-43", 43, "pending", "Deploy 4343434", app.clock.instant().minusSeconds(30)),
                credentials.authorization(), credentials.secret());
        deliver(addon, release("t-43b", 43, "succeeded", "Deploy 4343434", app.clock.instant().minusSeconds(30)),
                credentials.authorization(), credentials.secret());
        String second = snapshot(token);

        JsonNode tagged = JSON.readTree(app.http.send("GET", "/api/snapshots/" + first + "?token=" + token, null, Map.of()).body());
        assertThat(tagged.path("release").path("version").asInt()).isEqualTo(42);
        assertThat(tagged.path("release").path("commit").asText()).isEqualTo("4242424");
        assertThat(tagged.path("release").path("description").asText()).isEqualTo("Deploy 4242424");
        JsonNode before43 = JSON.readTree(app.http.send("GET", "/api/snapshots?before_release=v43&token=" + token, null, Map.of()).body());
        assertThat(before43).extracting(s -> s.path("id").asText()).containsExactly(first);
        JsonNode at43 = JSON.readTree(app.http.send("GET", "/api/snapshots?release=43&token=" + token, null, Map.of()).body());
        assertThat(at43).extracting(s -> s.path("id").asText()).containsExactly(second);
        assertThat(app.http.send("GET", "/api/snapshots?before_release=soon&token=" + token, null, Map.of()).statusCode()).isEqualTo(422);

        var browser = io.autobus.support.DashboardSession.open(app.http, addon, app.clock.instant(), TestApp.SSO_SALT, "shop-app");
        String list = browser.get("/dashboard").body();
        assertThat(list).as("the dashboard's list shows each snapshot's release").contains(">v42</span> <code>4242424</code>")
                .contains(">v43</span> <code>4343434</code>");
        assertThat(browser.get("/dashboard/snapshots/" + first).body()).contains("v42 <code>4242424</code> — Deploy 4242424");
    }

    @Test
    void with_the_setting_on_a_release_that_succeeds_is_followed_by_a_snapshot_at_most_once_an_hour() throws Exception {
        UUID addon = provisioned();
        String token = new ApiTokens(app.db).enable(addon, true).orElseThrow();
        String source = TestDatabase.create("after_release");
        app.attach(addon, "DATABASE", source);
        var credentials = releases.credentials(addon);
        var patched = app.http.send("PATCH", "/api/settings?token=" + token, "{\"snapshot_after_release\": true}",
                Map.of("Content-Type", "application/json"));
        assertThat(JSON.readTree(patched.body()).path("snapshot_after_release").asBoolean()).as(patched.body()).isTrue();

        deliver(addon, release("a-50", 50, "pending", "Deploy 5050505", app.clock.instant()), credentials.authorization(), credentials.secret());
        assertThat(descriptions(token)).as("not while pending").isEmpty();
        deliver(addon, release("a-50b", 50, "succeeded", "Deploy 5050505", app.clock.instant()), credentials.authorization(), credentials.secret());
        await().atMost(Duration.ofSeconds(60)).until(() -> JSON.readTree(app.http.send("GET", "/api/snapshots?status=completed&token=" + token,
                null, Map.of()).body()).size() == 1); // done: only the hourly limit can hold the next one back
        deliver(addon, release("a-51", 51, "succeeded", "Deploy 5151515", app.clock.instant()), credentials.authorization(), credentials.secret());

        assertThat(descriptions(token)).as("one for the burst").containsExactly("after v50");
    }

    @Test
    void a_snapshot_after_release_refused_by_the_plan_s_cap_tells_the_owner_once_and_again_when_one_is_taken() throws Exception {
        UUID addon = UUID.randomUUID();
        HerokuPartner.of(app).provision(addon, "free", "grant-" + addon);
        String token = new ApiTokens(app.db).enable(addon, true).orElseThrow();
        app.attach(addon, "DATABASE", TestDatabase.create("after_release_cap"));
        var credentials = releases.credentials(addon);
        app.http.send("PATCH", "/api/settings?token=" + token, "{\"snapshot_after_release\": true}", Map.of("Content-Type", "application/json"));
        var held = new java.util.ArrayList<String>();
        for (int i = 0; i < io.autobus.addon.Plan.FREE.manualSnapshots().getAsInt(); i++) {
            held.add(snapshot(token));
        }

        deliver(addon, release("cap-60", 60, "succeeded", "Deploy 6060606", app.clock.instant()), credentials.authorization(), credentials.secret());
        app.clock.advance(Duration.ofHours(2));
        deliver(addon, release("cap-61", 61, "succeeded", "Deploy 6161616", app.clock.instant()), credentials.authorization(), credentials.secret());

        assertThat(descriptions(token)).as("nothing taken over the cap").noneMatch(description -> description.startsWith("after v"));
        assertThat(notifications(addon)).as("told once, not at every release").containsExactly("No snapshot of DATABASE_URL after v60");
        assertThat(app.db.select(NOTIFICATION.BODY).from(NOTIFICATION).where(NOTIFICATION.ADDON_ID.eq(addon)).fetchOne(NOTIFICATION.BODY))
                .contains("Release v60 succeeded, but its snapshot was not taken").contains("The free plan keeps up to 5 manual snapshots")
                .contains(held.getFirst());

        assertThat(app.http.send("DELETE", "/api/snapshots/" + held.getFirst() + "?token=" + token, null, Map.of()).statusCode()).isEqualTo(200);
        app.clock.advance(Duration.ofHours(2));
        deliver(addon, release("cap-62", 62, "succeeded", "Deploy 6262626", app.clock.instant()), credentials.authorization(), credentials.secret());

        assertThat(descriptions(token)).contains("after v62");
        assertThat(notifications(addon)).containsExactly("No snapshot of DATABASE_URL after v60",
                "Back to normal: Snapshots of DATABASE_URL after releases are taken again");
    }

    private java.util.List<String> notifications(UUID addon) {
        return app.db.select(NOTIFICATION.SUBJECT).from(NOTIFICATION).where(NOTIFICATION.ADDON_ID.eq(addon))
                .orderBy(NOTIFICATION.CREATED_AT).fetch(NOTIFICATION.SUBJECT);
    }

    private java.util.List<String> descriptions(String token) throws Exception {
        var list = JSON.readTree(app.http.send("GET", "/api/snapshots?token=" + token, null, Map.of()).body());
        var descriptions = new java.util.ArrayList<String>();
        list.forEach(s -> descriptions.add(s.path("description").asText()));
        return descriptions;
    }

    private UUID provisioned() {
        UUID id = UUID.randomUUID();
        HerokuPartner.of(app).provision(id, "travel", "grant-" + id);
        return id;
    }

    private String snapshot(String token) throws Exception {
        app.clock.advance(Duration.ofMinutes(1)); // not the same request moments later, which answers with the earlier snapshot
        String jid = JSON.readTree(app.http.send("POST", "/api/snapshots?token=" + token, null, Map.of()).body()).path("jid").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> JSON.readTree(app.http.send("GET",
                "/api/snapshots/check_snapshot?jid=" + jid + "&token=" + token, null, Map.of()).body()).path("completed").asBoolean());
        return JSON.readTree(app.http.send("GET", "/api/snapshots/check_snapshot?jid=" + jid + "&token=" + token, null, Map.of()).body())
                .path("snapshot_id").asText();
    }

    /** A delivery as Heroku sends one for api:release. */
    private static String release(String deliveryId, int version, String status, String description, Instant created) throws Exception {
        return JSON.writeValueAsString(Map.of("resource", "release", "action", "update",
                "data", Map.of("version", version, "status", status, "description", description, "created_at", created.toString()),
                "webhook_metadata", Map.of("delivery", Map.of("id", deliveryId), "event", Map.of("include", "api:release"))));
    }

    private HttpResponse<String> deliver(UUID addon, String body, String authorization, String secret) {
        return app.http.send("POST", "/heroku/webhooks?addon=" + addon, body, Map.of("Content-Type", "application/json",
                "Authorization", authorization, "Heroku-Webhook-Hmac-SHA256", ReleaseWebhooks.hmac(secret, body.getBytes(StandardCharsets.UTF_8))));
    }

    private java.util.List<String> stored(UUID addon) {
        return app.db.selectFrom(APP_RELEASE).where(APP_RELEASE.ADDON_ID.eq(addon)).orderBy(APP_RELEASE.VERSION)
                .fetch(r -> r.getVersion() + " " + r.getStatus() + " " + r.getGitCommit());
    }
}
