package io.autobus.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.crypto.Tokens;
import io.autobus.support.HerokuPartner;
import io.autobus.support.HerokuSso;
import io.autobus.support.TestApp;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Heroku's single sign-on into the dashboard, over HTTP like a browser. */
class SsoLoginTest {
    private final TestApp app = TestApp.shared();
    private final UUID addonId = UUID.randomUUID();

    SsoLoginTest() {
        assertThat(HerokuPartner.of(app).provision(addonId, "travel", "grant-" + addonId).statusCode()).isEqualTo(200);
    }

    @Test
    void a_valid_login_sets_a_safe_session_cookie_and_opens_the_dashboard() {
        var login = app.http.postForm("/sso/login", form(addonId, app.clock.instant(), TestApp.SSO_SALT));

        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location")).hasValue("/dashboard");
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("autobus_session=").contains("HttpOnly").contains("Secure").contains("SameSite=Lax");

        var dashboard = app.http.get("/dashboard", HerokuSso.cookie(login));

        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.body()).contains("sharp-mountain-4005").contains("owner@example.com");
        assertThat(app.http.get("/dashboard/settings", HerokuSso.cookie(login)).body()).contains("<dd id=\"plan-name\">travel</dd>");
    }

    @Test
    void a_token_made_with_another_salt_is_refused() {
        var login = app.http.postForm("/sso/login", form(addonId, app.clock.instant(), "not-our-salt"));

        assertRefused(login, "could not be verified");
    }

    @Test
    void a_token_older_than_five_minutes_is_refused() {
        var login = app.http.postForm("/sso/login", form(addonId, app.clock.instant().minusSeconds(301), TestApp.SSO_SALT));

        assertRefused(login, "expired");
    }

    @Test
    void a_token_from_the_far_future_is_refused() {
        var login = app.http.postForm("/sso/login", form(addonId, app.clock.instant().plusSeconds(600), TestApp.SSO_SALT));

        assertRefused(login, "expired");
    }

    @Test
    void a_replayed_login_is_refused() {
        var form = form(addonId, app.clock.instant(), TestApp.SSO_SALT);
        assertThat(app.http.postForm("/sso/login", form).statusCode()).isEqualTo(302);

        var replay = app.http.postForm("/sso/login", form);

        assertRefused(replay, "already used");
    }

    @Test
    void a_login_without_its_fields_is_refused() {
        var form = form(addonId, app.clock.instant(), TestApp.SSO_SALT);
        form.remove("resource_token");

        assertRefused(app.http.postForm("/sso/login", form), "incomplete");
    }

    @Test
    void a_valid_login_for_an_addon_that_does_not_exist_is_404() {
        var login = app.http.postForm("/sso/login", form(UUID.randomUUID(), app.clock.instant(), TestApp.SSO_SALT));

        assertThat(login.statusCode()).isEqualTo(404);
        assertThat(login.body()).contains("does not exist");
    }

    @Test
    void the_dashboard_without_a_session_says_how_to_open_it() {
        var noCookie = app.http.get("/dashboard", null);
        var forgedCookie = app.http.get("/dashboard", "autobus_session=" + Tokens.random());

        for (var response : new HttpResponse[] {noCookie, forgedCookie}) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
            assertThat((String) response.body()).contains("heroku addons:open autobus");
        }
    }

    private static Map<String, String> form(UUID addonId, Instant issuedAt, String salt) {
        return HerokuSso.form(addonId, issuedAt, salt, "sharp-mountain-4005");
    }

    private static void assertRefused(HttpResponse<String> response, String reason) {
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(response.body()).contains(reason).contains("heroku addons:open autobus");
    }
}
