package io.autobus.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.support.HttpDriver;
import io.autobus.support.TestApp;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Browsers get readable pages, machines get JSON; nobody gets a stack trace. */
class ErrorPagesTest {
    private final TestApp app = TestApp.shared();

    @Test
    void an_unknown_page_is_a_readable_404_page() {
        var response = app.http.get("/no-such-page", null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(response.body()).contains("Not found").contains("/no-such-page").doesNotContain("Exception");
    }

    @Test
    void a_wrong_method_on_the_partner_api_is_answered_in_json() {
        var response = app.http.send("GET", "/heroku/resources", null,
                Map.of("Authorization", HttpDriver.basic(TestApp.ADDON_ID, TestApp.PASSWORD)));

        assertThat(response.statusCode()).isIn(404, 405);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(response.body()).startsWith("{\"message\":");
    }

    @Test
    void every_answer_forbids_framing_sniffing_and_scripts() {
        for (var response : java.util.List.of(app.http.get("/", null), app.http.get("/dashboard", null), app.http.get("/nope", null),
                app.http.send("GET", "/api/snapshots", null, Map.of()))) {
            assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy ->
                    assertThat(policy).contains("default-src 'none'").contains("frame-ancestors 'none'").doesNotContain("script-src"));
            assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        }
    }

    @Test
    void an_unexpected_failure_is_a_page_that_owns_up_and_gives_the_reference() {
        var errors = new io.autobus.web.ErrorResponses(new ErrorPage(new WebSessions(app.db, app.clock, false),
                new io.autobus.addon.AddonRepository(app.db), new Pages(new Flash(false))));
        var server = io.javalin.Javalin.create(config -> {
            config.concurrency.useVirtualThreads = true;
            config.startup.showJavalinBanner = false;
            errors.register(config.routes);
            config.routes.get("/boom", ctx -> {
                throw new IllegalStateException("secret detail");
            });
        }).start("127.0.0.1", 0);
        try {
            var response = new io.autobus.support.HttpDriver("http://127.0.0.1:" + server.port()).get("/boom", null);

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).contains("<h1 id=\"error-title\">Something went wrong on our side</h1>")
                    .containsPattern("reference [0-9a-f]{8}\\.").contains("href=\"/\" id=\"back\"").doesNotContain("secret detail");
        } finally {
            server.stop();
        }
    }

    @Test
    void the_home_page_tells_how_to_get_the_addon() {
        var response = app.http.get("/", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("heroku addons:create autobus");
    }
}
