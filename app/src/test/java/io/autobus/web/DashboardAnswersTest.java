package io.autobus.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.api.ApiTokens;
import io.autobus.support.DashboardSession;
import io.autobus.support.HerokuPartner;
import io.autobus.support.TestApp;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every dashboard form answers: a message once the action is done, the same form again with the
 * reason and what was typed when it is refused, and error pages that fit (HTTP level; the browser
 * side is in {@link DashboardBrowserTest}).
 */
class DashboardAnswersTest {
    private final TestApp app = TestApp.shared();
    private final UUID addonId = app.provisionedAddon("free");
    private final DashboardSession browser = DashboardSession.open(app.http, addonId, app.clock.instant(), TestApp.SSO_SALT, "app");

    DashboardAnswersTest() {
        app.attachedEarlier(addonId, "MAIN", "postgres://u:p@127.0.0.1:5432/main"); // not dumped here
    }

    @Test
    void a_saved_schedule_is_told_once_on_the_page_it_goes_on_to() {
        var saved = browser.post("/dashboard/schedule", Map.of("hour", "22", "time_zone", "Europe/Berlin", "weekly_day", "Monday"));

        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(302);
        assertThat(saved.headers().firstValue("Location")).hasValue("/dashboard/settings#schedule-settings");
        var page = browser.follow(saved);
        assertThat(flashOf(page)).matches("Schedule saved: daily at 22:\\d\\d Europe/Berlin; the run on Monday is kept as Weekly\\.");
        assertThat(page.headers().allValues("Set-Cookie")).as("the message is used up").anySatisfy(cookie ->
                assertThat(cookie).startsWith(Flash.COOKIE + "=;").contains("Expires=Thu, 01 Jan 1970"));
        assertThat(flashOf(browser.get("/dashboard/settings"))).as("the next page, without it").isNull();
    }

    @Test
    void no_page_shows_a_message_it_was_not_left_by_this_session_s_own_action() {
        var other = DashboardSession.open(app.http, addonId, app.clock.instant().minusSeconds(1), TestApp.SSO_SALT, "app");
        String othersMessage = flashCookie(other.post("/dashboard/releases", Map.of("snapshot_after_release", "on")));
        String forged = Flash.COOKIE + "=" + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("Your account is suspended: call +1 555".getBytes()) + ".c2lnbmF0dXJl";

        assertThat(flashOf(app.http.get("/dashboard", browser.cookie() + "; " + othersMessage))).isNull();
        assertThat(flashOf(app.http.get("/dashboard", browser.cookie() + "; " + forged))).isNull();
        assertThat(browser.get("/dashboard?done=Your+account+is+suspended").body()).doesNotContain("suspended");
    }

    @Test
    void a_refused_time_zone_shows_the_settings_again_with_the_reason_beside_the_schedule_and_the_input_kept() {
        var refused = browser.post("/dashboard/schedule", Map.of("hour", "5", "time_zone", "Mars/Olympus", "weekly_day", "Tuesday"));

        assertThat(refused.statusCode()).isEqualTo(422);
        String page = refused.body();
        assertThat(page).contains("<nav class=\"tabs\">");
        assertThat(formOf(page, "schedule")).contains("&#39;Mars/Olympus&#39; is not a time zone")
                .contains("name=\"time_zone\" value=\"Mars/Olympus\"")
                .contains("<option value=\"5\" selected>").contains("<option value=\"Tuesday\" selected>");
        assertThat(page).as("one refusal, beside its form").containsOnlyOnce("class=\"refused\"");
        assertThat(app.http.get("/dashboard/settings", browser.cookie()).body()).as("nothing was saved").doesNotContain("Mars/Olympus");
    }

    @Test
    void a_refused_compression_level_and_webhook_keep_what_was_typed_in_their_own_form() {
        var options = browser.post("/dashboard/databases/options", Map.of("database", "MAIN_URL", "exclude_tables", "audit_log",
                "no_owner", "on", "compression_level", "12"));
        var webhook = browser.post("/dashboard/notifications", Map.of("notify_email", "ops@example.com", "webhook_url", "ftp://example.com/x"));

        assertThat(options.statusCode()).isEqualTo(422);
        assertThat(options.body()).contains("id=\"options-MAIN_URL\"");
        assertThat(options.body().substring(options.body().indexOf("id=\"options-MAIN_URL\"")))
                .contains("These dump options cannot be used").contains("value=\"12\"").contains("value=\"audit_log\"")
                .contains("name=\"no_owner\" checked");
        assertThat(webhook.statusCode()).isEqualTo(422);
        assertThat(formOf(webhook.body(), "notify")).contains("https URL").contains("value=\"ops@example.com\"")
                .contains("value=\"ftp://example.com/x\"");
    }

    @Test
    void a_database_that_cannot_be_attached_keeps_its_name_but_never_echoes_the_url() {
        var refused = browser.post("/dashboard/databases", Map.of("name", "SHOP", "url", "mysql://m1n2:s3cr3t@/nowhere"));

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(formOf(refused.body(), "attach-database")).contains("name=\"name\" placeholder=\"LOCAL\" required value=\"SHOP\"");
        assertThat(refused.body()).contains("This database cannot be attached").contains("<details open>")
                .doesNotContain("s3cr3t").doesNotContain("m1n2")
                .as("a refused form is not refreshed away").doesNotContain("http-equiv=\"refresh\"");
        var beyondPlan = browser.post("/dashboard/databases", Map.of("name", "local", "url", io.autobus.support.TestDatabase.create("answers")));
        assertThat(beyondPlan.statusCode()).isEqualTo(422);
        assertThat(formOf(beyondPlan.body(), "attach-database")).contains("The free plan backs up 1 database and this add-on has MAIN_URL")
                .contains("heroku addons:upgrade autobus:travel").contains("value=\"local\"");
    }

    @Test
    void a_refused_snapshot_request_keeps_its_description_beside_the_create_form() {
        var refused = browser.post("/dashboard/snapshots", Map.of("database", "GONE_URL", "description", "before the big migration"));

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(formOf(refused.body(), "create-snapshot")).contains("GONE_URL").contains("value=\"before the big migration\"");
    }

    @Test
    void verify_again_says_it_is_queued_on_the_page_that_follows_it() {
        var harness = new io.autobus.support.BackupHarness();
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", io.autobus.support.TestDatabase.create("verify_again"));
        var snapshot = harness.backup(addon, "DATABASE_URL");
        var customer = DashboardSession.open(app.http, addon, app.clock.instant(), TestApp.SSO_SALT, "app");

        var page = customer.follow(customer.post("/dashboard/snapshots/" + snapshot.id() + "/verify", Map.of()));

        assertThat(flashOf(page)).isEqualTo("Verification of snapshot " + snapshot.id()
                + " queued: it is restored into a scratch database and checked again; its Restorable column shows the verdict.");
    }

    @Test
    void the_token_is_regenerated_only_after_the_page_that_says_the_old_one_stops_working() {
        String old = new ApiTokens(app.db).enable(addonId, true).orElseThrow();

        var unconfirmed = browser.post("/dashboard/api", Map.of("action", "regenerate"));
        assertThat(unconfirmed.statusCode()).isEqualTo(302);
        assertThat(unconfirmed.headers().firstValue("Location")).hasValue("/dashboard/api/regenerate");
        assertThat(browser.get("/dashboard/api/regenerate").body()).contains("The current token stops working at once")
                .contains(TestApp.PUBLIC_URL + "/api/");
        assertThat(apiStatus(old)).as("the old token still works").isEqualTo(200);

        var confirmed = browser.post("/dashboard/api", Map.of("action", "regenerate", "confirm", "yes"));
        var token = Pattern.compile("id=\"api-token\">([A-Za-z0-9_-]{43})<").matcher(confirmed.body());
        assertThat(token.find()).as(confirmed.body()).isTrue();
        assertThat(confirmed.body()).contains("id=\"flash\"").contains("the old one no longer works")
                .contains("curl \"" + TestApp.PUBLIC_URL + "/api/snapshots?token=" + token.group(1) + "\"");
        assertThat(apiStatus(old)).isEqualTo(401);
        assertThat(apiStatus(token.group(1))).isEqualTo(200);
    }

    @Test
    void error_pages_of_a_signed_in_customer_have_the_tabs_a_fitting_title_and_a_way_back() {
        var missing = app.http.send("GET", "/dashboard/snapshots/nope", null,
                Map.of("Cookie", browser.cookie(), "Referer", app.http.baseUrl() + "/dashboard/statistics"));
        var signedOut = app.http.get("/dashboard", null);

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("<nav class=\"tabs\">").contains("<h1 id=\"error-title\">Not found</h1>")
                .contains("href=\"/dashboard/statistics\" id=\"back\"");
        assertThat(signedOut.body()).contains("Please sign in through Heroku").doesNotContain("<nav class=\"tabs\">");
        var elsewhere = app.http.send("GET", "/dashboard/snapshots/nope", null,
                Map.of("Cookie", browser.cookie(), "Referer", "https://evil.example.com/dashboard/x"));
        assertThat(elsewhere.body()).as("only our own pages are a way back").contains("href=\"/dashboard\" id=\"back\"");
    }

    @Test
    void a_tampered_download_link_is_headed_as_a_download_link_not_a_login() {
        var tampered = app.http.get("/downloads/not-a-signed-token", browser.cookie());

        assertThat(tampered.statusCode()).isEqualTo(403);
        assertThat(tampered.body()).contains("<h1 id=\"error-title\">This download link does not work</h1>")
                .doesNotContain("login").doesNotContain("This was refused");
    }

    @Test
    void after_a_downgrade_the_monthly_toggle_shows_off_with_its_reason_and_the_api_says_off() {
        UUID travel = app.provisionedAddon("travel");
        var customer = DashboardSession.open(app.http, travel, app.clock.instant(), TestApp.SSO_SALT, "app");
        assertThat(customer.post("/dashboard/schedule", Map.of("hour", "3", "time_zone", "UTC", "weekly_day", "Sunday", "monthly", "on"))
                .statusCode()).isEqualTo(302);
        assertThat(customer.get("/dashboard/settings").body()).contains("name=\"monthly\" checked");

        HerokuPartner.of(app).changePlan(travel.toString(), "free");

        String page = customer.get("/dashboard/settings").body();
        assertThat(page).contains("<input type=\"checkbox\" name=\"monthly\" disabled>").doesNotContain("name=\"monthly\" checked")
                .contains("not part of the free plan");
        String token = new ApiTokens(app.db).enable(travel, true).orElseThrow();
        assertThat(app.http.send("GET", "/api/settings", null, Map.of("Authorization", "Bearer " + token)).body()).contains("\"monthly\":false");
    }

    private int apiStatus(String token) {
        return app.http.send("GET", "/api/snapshots", null, Map.of("Authorization", "Bearer " + token)).statusCode();
    }

    /** The flash cookie an action set, as a Cookie request header part. */
    private static String flashCookie(HttpResponse<String> action) {
        return action.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(Flash.COOKIE + "="))
                .findFirst().orElseThrow(() -> new AssertionError("no message was left: " + action.headers())).split(";")[0];
    }

    /** The message a page shows after an action, or null. */
    private static String flashOf(HttpResponse<String> page) {
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        var matcher = Pattern.compile("<p class=\"done flash\" id=\"flash\" role=\"status\">([^<]*)</p>").matcher(page.body());
        return matcher.find() ? org.unbescape.html.HtmlEscape.unescapeHtml(matcher.group(1)) : null;
    }

    /** The HTML from the form with {@code id} to its end, and the refusal just before it. */
    private static String formOf(String page, String id) {
        int form = page.indexOf("id=\"" + id + "\"");
        assertThat(form).as("form " + id + " in " + page).isNotNegative();
        int start = page.lastIndexOf("<p class=\"refused\"", form);
        int from = start >= 0 && !page.substring(start, form).contains("</form>") ? start : form;
        return page.substring(from, page.indexOf("</form>", form));
    }
}
