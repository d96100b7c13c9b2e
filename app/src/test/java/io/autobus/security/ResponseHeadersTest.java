package io.autobus.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.config.Settings;
import io.autobus.http.SecurityHeaders;
import io.autobus.support.DashboardSession;
import io.autobus.support.HerokuPartner;
import io.autobus.support.HerokuSso;
import io.autobus.support.HttpDriver;
import io.autobus.support.TestApp;
import io.javalin.Javalin;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Browsers keep nothing of a signed-in page (the settings page shows the API token and the
 * webhook secret), and are told to reach an https service over https only.
 */
class ResponseHeadersTest {
    private final TestApp app = TestApp.shared();
    private final HttpDriver http = app.http;

    @Test
    void no_dashboard_answer_is_stored_whether_a_page_a_redirect_or_an_error() {
        UUID addonId = UUID.randomUUID();
        HerokuPartner.of(app).provision(addonId, "free", "grant-" + addonId);
        // Each SSO token is single use: three sign-ins, a second apart.
        var login = http.postForm("/sso/login", HerokuSso.form(addonId, app.clock.instant().minusSeconds(2), TestApp.SSO_SALT, "app"));
        var browser = DashboardSession.open(http, addonId, app.clock.instant().minusSeconds(1), TestApp.SSO_SALT, "app");
        var other = DashboardSession.open(http, addonId, app.clock.instant(), TestApp.SSO_SALT, "app");

        var answers = Map.ofEntries(
                Map.entry("SSO login", login),
                Map.entry("refused SSO login", http.postForm("/sso/login", Map.of("resource_id", addonId.toString(), "timestamp", "1"))),
                Map.entry("snapshots", browser.get("/dashboard")),
                Map.entry("statistics", browser.get("/dashboard/statistics")),
                Map.entry("settings (API token, webhook secret)", browser.get("/dashboard/settings")),
                Map.entry("a new API token", browser.post("/dashboard/api", Map.of("action", "enable"))),
                Map.entry("a form's redirect", browser.post("/dashboard/schedule", Map.of("hour", "4", "time_zone", "UTC", "weekly_day", "Sunday"))),
                Map.entry("a refused form", browser.post("/dashboard/schedule", Map.of("hour", "25", "time_zone", "UTC", "weekly_day", "Sunday"))),
                Map.entry("an unknown snapshot", browser.get("/dashboard/snapshots/" + "f".repeat(24))),
                Map.entry("an unknown dashboard page", browser.get("/dashboard/nothing-here")),
                Map.entry("no session", http.get("/dashboard/settings", null)),
                Map.entry("refused sign-out", http.postFormWithCookie("/logout", Map.of(), other.cookie())),
                Map.entry("sign-out", other.post("/logout", Map.of())));

        answers.forEach((what, response) -> assertThat(response.headers().firstValue("Cache-Control"))
                .as(what + " (" + response.statusCode() + ")").hasValue("no-store"));
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(answers.get("settings (API token, webhook secret)").statusCode()).isEqualTo(200);
        assertThat(answers.get("a new API token").body()).as("the page that shows a new token").contains("Settings");
        assertThat(answers.get("a form's redirect").statusCode()).isEqualTo(302);
        assertThat(answers.get("an unknown dashboard page").statusCode()).isEqualTo(404);
    }

    @Test
    void over_https_every_answer_asks_for_https_only_for_a_year() {
        assertThat(app.settings.secureCookies()).as("the test app's public URL is https").isTrue();
        for (HttpResponse<String> response : List.of(http.get("/", null), http.get("/health", null), http.get("/nope", null),
                http.get("/dashboard", null), http.send("GET", "/api/snapshots", null, Map.of()),
                http.send("DELETE", "/heroku/resources/" + UUID.randomUUID(), null, Map.of()),
                http.postForm("/sso/login", Map.of()))) {
            assertThat(response.headers().firstValue("Strict-Transport-Security")).as(response.uri() + " " + response.statusCode())
                    .hasValue("max-age=31536000; includeSubDomains");
        }
    }

    /**
     * The same before-handler App installs, built from a plain-http configuration, on a bare server
     * (a second App in this JVM would reconfigure JobRunr's process-wide state under the shared one).
     */
    @Test
    void over_plain_http_no_answer_carries_hsts(@TempDir Path home) {
        var settings = Settings.fromEnvironment(Map.of("AUTOBUS_HOME", home.toString(), "AUTOBUS_PUBLIC_URL", "http://localhost:5000"));
        var server = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.before(new SecurityHeaders(settings.secureCookies())::apply);
            config.routes.get("/", ctx -> ctx.result("home"));
        }).start("127.0.0.1", 0);
        try {
            var local = new HttpDriver("http://127.0.0.1:" + server.port());
            for (var response : List.of(local.get("/", null), local.get("/nope", null))) {
                assertThat(response.headers().firstValue("Strict-Transport-Security")).as(response.uri().toString()).isEmpty();
                assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            }
        } finally {
            server.stop();
        }
    }
}
