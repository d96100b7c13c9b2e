package io.autobus.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.support.DashboardSession;
import io.autobus.support.HerokuPartner;
import io.autobus.support.TestApp;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** "Sign out" ends the dashboard session on the server, not only in the browser, and only from the dashboard's own form. */
class SignOutTest {
    private final TestApp app = TestApp.shared();

    private DashboardSession signedIn() {
        UUID addonId = UUID.randomUUID();
        HerokuPartner.of(app).provision(addonId, "free", "grant-" + addonId);
        return DashboardSession.open(app.http, addonId, app.clock.instant(), TestApp.SSO_SALT, "app");
    }

    @Test
    void signing_out_ends_the_session_so_that_its_cookie_opens_nothing_even_when_replayed() {
        DashboardSession browser = signedIn();
        assertThat(browser.get("/dashboard/settings").body()).contains("action=\"/logout\"").contains(">Sign out</button>");

        var signedOut = browser.post("/logout", Map.of());

        assertThat(signedOut.statusCode()).as(signedOut.body()).isEqualTo(302);
        assertThat(signedOut.headers().firstValue("Location")).hasValue("/?signed_out");
        assertThat(signedOut.headers().firstValue("Set-Cookie")).hasValueSatisfying(cookie ->
                assertThat(cookie).startsWith("autobus_session=;").contains("Expires=Thu, 01 Jan 1970"));
        assertThat(app.http.get("/?signed_out", null).body()).contains("You are signed out");
        for (String page : new String[] {"/dashboard", "/dashboard/settings"}) {
            assertThat(browser.get(page).statusCode()).as(page + " with the old cookie").isEqualTo(401);
        }
        assertThat(browser.post("/dashboard/schedule", Map.of("hour", "5", "time_zone", "UTC", "weekly_day", "Sunday")).statusCode())
                .as("a form with the old cookie and token").isEqualTo(401);
        assertThat(browser.post("/logout", Map.of()).statusCode()).as("signing out again").isEqualTo(302);
        assertThat(browser.page().statusCode()).isEqualTo(401);
    }

    @Test
    void a_sign_out_without_the_form_token_or_with_another_one_is_refused_and_the_session_goes_on() {
        DashboardSession browser = signedIn();
        DashboardSession other = signedIn();

        var withoutToken = app.http.postFormWithCookie("/logout", Map.of(), browser.cookie());
        var withOtherToken = app.http.postFormWithCookie("/logout", Map.of("csrf", other.csrf()), browser.cookie());
        var withMadeUpToken = app.http.postFormWithCookie("/logout", Map.of("csrf", "0".repeat(64)), browser.cookie());
        var withoutCookie = app.http.postFormWithCookie("/logout", Map.of("csrf", ""), null);

        for (var refused : new java.net.http.HttpResponse[] {withoutToken, withOtherToken, withMadeUpToken, withoutCookie}) {
            assertThat(refused.statusCode()).as(String.valueOf(refused.body())).isEqualTo(403);
            assertThat(refused.headers().firstValue("Set-Cookie")).isEmpty();
        }
        assertThat(browser.page().statusCode()).as("the session still works").isEqualTo(200);
        assertThat(other.page().statusCode()).isEqualTo(200);
    }
}
