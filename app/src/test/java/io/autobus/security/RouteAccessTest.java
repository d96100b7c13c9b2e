package io.autobus.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.api.ApiTokens;
import io.autobus.backup.Snapshot;
import io.autobus.backup.SnapshotKeys;
import io.autobus.restore.Restore;
import io.autobus.restore.RestoreMode;
import io.autobus.restore.RestoreRepository;
import io.autobus.support.BackupHarness;
import io.autobus.support.DashboardSession;
import io.autobus.support.HttpDriver;
import io.autobus.support.TestApp;
import io.autobus.support.TestDatabase;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every route against every wrong caller: no credentials, wrong credentials, another add-on's
 * credentials, an expired session. The expected refusal, and never the victim's data
 * (docs/SECURITY.md lists the routes and what each requires).
 */
class RouteAccessTest {
    private final BackupHarness harness = new BackupHarness();
    private final TestApp app = harness.app;
    private final HttpDriver http = app.http;

    private record Tenant(UUID addonId, Snapshot snapshot, String token, DashboardSession browser) {
    }

    private Tenant tenant() {
        UUID addonId = harness.provisionedAddon();
        harness.attach(addonId, "DATABASE", TestDatabase.create("victim"));
        Snapshot snapshot = harness.backup(addonId, "DATABASE_URL");
        String token = new ApiTokens(app.db).enable(addonId, true).orElseThrow();
        return new Tenant(addonId, snapshot, token, DashboardSession.open(http, addonId, app.clock.instant(), TestApp.SSO_SALT, "app"));
    }

    @Test
    void the_api_refuses_missing_wrong_and_other_tenants_credentials_without_leaking_data() {
        Tenant victim = tenant();
        Tenant attacker = tenant();
        String id = victim.snapshot().id();
        var routes = List.of(new String[] {"GET", "/api/snapshots"}, new String[] {"POST", "/api/snapshots"},
                new String[] {"GET", "/api/snapshots/latest"}, new String[] {"GET", "/api/snapshots/check_snapshot?jid=" + UUID.randomUUID()},
                new String[] {"GET", "/api/snapshots/" + id}, new String[] {"DELETE", "/api/snapshots/" + id},
                new String[] {"GET", "/api/settings"}, new String[] {"PATCH", "/api/settings"},
                new String[] {"PUT", "/api/settings/encryption"}, new String[] {"DELETE", "/api/settings/encryption"},
                new String[] {"GET", "/api/settings/encryption/sample?recipient=age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"},
                new String[] {"GET", "/api/databases"}, new String[] {"POST", "/api/databases"},
                new String[] {"DELETE", "/api/databases/VICTIM_URL"});

        for (String[] route : routes) {
            var none = http.send(route[0], route[1], route[0].equals("GET") || route[0].equals("DELETE") ? null : "{}", Map.of());
            var wrong = http.send(route[0], route[1], null, Map.of("Authorization", "Bearer not-a-token"));
            var other = http.send(route[0], route[1], route[0].equals("PATCH") ? "{}" : null, Map.of("Authorization", "Bearer " + attacker.token()));

            assertThat(none.statusCode()).as(route[0] + " " + route[1] + " without credentials").isEqualTo(401);
            assertThat(wrong.statusCode()).as(route[0] + " " + route[1] + " with a wrong token").isEqualTo(401);
            assertThat(other.body()).as(route[0] + " " + route[1] + " as another add-on").doesNotContain(victim.snapshot().sha256());
            if (route[1].contains(id)) {
                assertThat(other.statusCode()).as(route[0] + " " + route[1] + " as another add-on").isEqualTo(404);
            } else {
                assertThat(other.body()).as(route[0] + " " + route[1] + " as another add-on").doesNotContain(id);
            }
        }
        assertThat(harness.snapshots.find(id)).as("nothing of the victim's was deleted").isPresent();
        assertThat(new io.autobus.addon.AddonRepository(app.db).databases(victim.addonId())).as("nor detached").isNotEmpty();
    }

    @Test
    void dashboard_routes_need_a_live_session_and_forms_need_its_token() {
        Tenant victim = tenant();
        Tenant attacker = tenant();
        String id = victim.snapshot().id();
        String restore = SnapshotKeys.newId();
        new RestoreRepository(app.db).create(new RestoreRepository.NewRestore(restore, victim.addonId(), id, "DATABASE_URL",
                RestoreMode.WHOLE, List.of(), true, UUID.randomUUID(), app.clock.instant()));

        for (String page : List.of("/dashboard", "/dashboard/statistics", "/dashboard/settings", "/dashboard/api/regenerate", "/dashboard/snapshots/" + id,
                "/dashboard/snapshots/" + id + "/download", "/dashboard/snapshots/" + id + "/delete", "/dashboard/snapshots/" + id + "/restore",
                "/dashboard/restores/" + restore, "/dashboard/databases/DATABASE_URL/detach", "/dashboard/encryption/sample?recipient=age1x")) {
            assertThat(http.get(page, null).statusCode()).as(page + " without a session").isEqualTo(401);
            assertThat(http.get(page, "autobus_session=forged").statusCode()).as(page + " with a forged session").isEqualTo(401);
        }
        for (String page : List.of("/dashboard/snapshots/" + id, "/dashboard/snapshots/" + id + "/download", "/dashboard/snapshots/" + id + "/delete",
                "/dashboard/snapshots/" + id + "/restore", "/dashboard/restores/" + restore)) {
            var response = attacker.browser().get(page);
            assertThat(response.statusCode()).as(page + " of another add-on").isEqualTo(404);
            assertThat(response.body()).doesNotContain(victim.snapshot().sha256());
        }
        for (String form : List.of("/dashboard/snapshots", "/dashboard/databases", "/dashboard/databases/options", "/dashboard/schedule",
                "/dashboard/notifications", "/dashboard/api", "/dashboard/snapshots/" + id + "/verify", "/dashboard/snapshots/" + id + "/delete",
                "/dashboard/snapshots/" + id + "/restore", "/dashboard/databases/DATABASE_URL/detach", "/dashboard/encryption",
                "/dashboard/encryption/off", "/dashboard/encryption/sample")) {
            var withoutToken = http.postFormWithCookie(form, Map.of("database", "DATABASE_URL"), victim.browser().cookie());
            var withAttackersToken = http.postFormWithCookie(form, Map.of("csrf", attacker.browser().csrf()), victim.browser().cookie());
            assertThat(withoutToken.statusCode()).as(form + " without the form token").isEqualTo(401);
            assertThat(withAttackersToken.statusCode()).as(form + " with another session's token").isEqualTo(401);
        }
        var foreignDelete = attacker.browser().post("/dashboard/snapshots/" + id + "/delete", Map.of());
        var foreignRestore = attacker.browser().post("/dashboard/snapshots/" + id + "/restore", Map.of("scope", "tables", "table", "public.t"));
        assertThat(foreignDelete.statusCode()).isEqualTo(404);
        assertThat(foreignRestore.statusCode()).isEqualTo(404);
        assertThat(harness.snapshots.find(id)).isPresent();
        assertThat(new RestoreRepository(app.db).ofAddon(victim.addonId(), 10)).extracting(Restore::id).containsExactly(restore);
    }

    @Test
    void a_session_expires_after_eight_hours() {
        Tenant tenant = tenant();
        assertThat(tenant.browser().page().statusCode()).isEqualTo(200);

        app.clock.advance(Duration.ofHours(8).plusMinutes(1));

        HttpResponse<String> expired = tenant.browser().page();
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.body()).contains("heroku addons:open autobus");
    }

    @Test
    void partner_routes_refuse_an_addon_key_or_an_api_token_as_credentials() {
        Tenant tenant = tenant();

        for (var auth : List.of(HttpDriver.basic("addon", tenant.token()), "Bearer " + tenant.token())) {
            var response = http.send("DELETE", "/heroku/resources/" + tenant.addonId(), null, Map.of("Authorization", auth));
            assertThat(response.statusCode()).isEqualTo(401);
        }
        assertThat(harness.addons.find(tenant.addonId())).isPresent();
    }
}
