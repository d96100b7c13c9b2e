package io.autobus.web;

import static io.autobus.db.generated.Tables.ADDON;
import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.addon.AddonRepository;
import io.autobus.backup.ScheduleRepository;
import io.autobus.dump.DumpOptions;
import io.autobus.support.HerokuPartner;
import io.autobus.support.DashboardSession;
import io.autobus.support.TestApp;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The schedule and dump options a customer sets on the dashboard, and what is refused. */
class DashboardSettingsTest {
    private final TestApp app = TestApp.shared();
    private final UUID addonId = UUID.randomUUID();
    private final DashboardSession browser;

    DashboardSettingsTest() {
        HerokuPartner.of(app).provision(addonId, "free", "grant-" + addonId);
        browser = DashboardSession.open(app.http, addonId, app.clock.instant(), TestApp.SSO_SALT, "app");
        // Servers that are not reached here: these tests set options, they take no snapshot.
        app.attachedEarlier(addonId, "MAIN", "postgres://u:p@db.example.com:5432/main");
        app.attachedEarlier(addonId, "SHOP", "mysql://u:p@mysql.example.com/shop");
    }

    @Test
    void the_schedule_is_changed_in_the_customer_s_time_zone_and_the_next_run_follows() {
        var response = post("/dashboard/schedule", Map.of("hour", "22", "time_zone", "Europe/Berlin", "weekly_day", "Monday"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
        var schedule = new ScheduleRepository(app.db).schedule(addonId).orElseThrow();
        assertThat(schedule.hour()).isEqualTo(22);
        assertThat(schedule.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(schedule.weeklyDay()).isEqualTo(DayOfWeek.MONDAY);
        var next = app.db.fetchOne(ADDON, ADDON.ID.eq(addonId)).getNextBackupAt().toInstant();
        assertThat(next).isEqualTo(schedule.nextRunAfter(app.clock.instant()));
        assertThat(next.atZone(ZoneId.of("Europe/Berlin")).getHour()).isEqualTo(22);
        assertThat(browser.get("/dashboard/settings").body()).contains("value=\"Europe/Berlin\"").contains("<option value=\"Monday\" selected>");
    }

    @Test
    void the_own_key_is_turned_on_only_with_the_warning_ticked_and_the_sample_s_phrase_and_turned_off_again() throws Exception {
        var identity = io.autobus.support.AgeIdentity.generate(app.settings.home());
        String recipient = identity.recipient().text();
        String settings = browser.get("/dashboard/settings").body();
        assertThat(settings).contains("A lost private key means lost backups")
                .contains("I keep the private key safe; without it these snapshots cannot be restored");

        var unticked = post("/dashboard/encryption", Map.of("recipient", recipient, "phrase", "aaaaa-bbbbb-ccccc"));
        var noPhrase = post("/dashboard/encryption", Map.of("recipient", recipient, "keep_key_safe", "on"));
        var privateKey = post("/dashboard/encryption", Map.of("recipient", identity.privateKey(), "keep_key_safe", "on", "phrase", "x"));
        var sample = app.http.getBytes("/dashboard/encryption/sample?recipient=" + recipient, Map.of("Cookie", browser.cookie()));
        java.nio.file.Path file = app.settings.home().resolve("dashboard-sample-" + System.nanoTime() + ".txt.age");
        java.nio.file.Files.write(file, sample.body());
        String phrase = new String(identity.decrypt(file), java.nio.charset.StandardCharsets.UTF_8).strip().lines()
                .reduce((first, second) -> second).orElseThrow();
        var wrongPhrase = post("/dashboard/encryption", Map.of("recipient", recipient, "keep_key_safe", "on", "phrase", "aaaaa-bbbbb-ccccc"));
        var on = post("/dashboard/encryption", Map.of("recipient", recipient, "keep_key_safe", "on", "phrase", phrase));
        String onPage = browser.get("/dashboard/settings").body();
        var off = post("/dashboard/encryption/off", Map.of());

        assertThat(unticked.statusCode()).isEqualTo(422);
        assertThat(unticked.body()).contains("Tick &quot;I keep the private key safe&quot;");
        assertThat(noPhrase.statusCode()).isEqualTo(422);
        assertThat(noPhrase.body()).contains("paste the phrase it shows");
        assertThat(privateKey.statusCode()).isEqualTo(422);
        assertThat(privateKey.body()).contains("never paste it anywhere").doesNotContain(identity.privateKey());
        assertThat(sample.statusCode()).isEqualTo(200);
        assertThat(wrongPhrase.statusCode()).isEqualTo(422);
        assertThat(wrongPhrase.body()).contains("not the phrase");
        assertThat(on.statusCode()).as(on.body()).isEqualTo(302);
        assertThat(onPage).contains("<code id=\"encryption-recipient\">" + recipient + "</code>");
        assertThat(off.statusCode()).isEqualTo(302);
        assertThat(new AddonRepository(app.db).encryptionRecipient(addonId)).isEmpty();
        java.nio.file.Files.delete(identity.file());
        java.nio.file.Files.delete(file);
    }

    @Test
    void the_settings_page_gives_the_release_phase_recipe_as_the_tested_script() throws Exception {
        String page = browser.get("/dashboard/settings").body();
        String script = java.nio.file.Files.readString(java.nio.file.Path.of("src/main/resources/autobus-snapshot-before-release"));
        assertThat(org.unbescape.html.HtmlEscape.unescapeHtml(page))
                .contains("release: bin/autobus-snapshot-before-release && bundle exec rails db:migrate")
                .as("the whole script, as tested").contains(script.strip());
    }

    @Test
    void a_database_url_that_cannot_be_read_gets_a_readable_page_without_the_password() {
        var response = post("/dashboard/databases", Map.of("name", "SHOP2", "url", "mysql://m1n2:p@ss:w/rd#1@u9v0.rds.amazonaws.com:3306/c7d8"));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(response.body()).contains("This database cannot be attached").contains("user info").contains("percent-encoded")
                .doesNotContain("p@ss").doesNotContain("ss:w").doesNotContain("rd#1").doesNotContain("m1n2").doesNotContain("u9v0")
                .doesNotContain("Exception");
        assertThat(browser.page().body()).doesNotContain("SHOP2_URL");
    }

    @Test
    void monthly_snapshots_need_a_plan_that_has_them_and_bad_values_are_refused() {
        assertRefused(post("/dashboard/schedule", Map.of("hour", "3", "time_zone", "UTC", "weekly_day", "Sunday", "monthly", "on")),
                "not part of the free plan");
        assertRefused(post("/dashboard/schedule", Map.of("hour", "25", "time_zone", "UTC", "weekly_day", "Sunday")), "between 0 and 23");
        assertRefused(post("/dashboard/schedule", Map.of("hour", "3", "time_zone", "Mars/Olympus", "weekly_day", "Sunday")), "not a time zone");
        assertRefused(post("/dashboard/schedule", Map.of("hour", "3", "time_zone", "UTC", "weekly_day", "Caturday")), "not a day of the week");
    }

    @Test
    void dump_options_are_vetted_and_stored_per_database() {
        var saved = post("/dashboard/databases/options", Map.of("database", "MAIN_URL",
                "exclude_tables", "audit_log, public.tmp_*", "exclude_table_data", "events", "no_owner", "on", "compression_level", "9"));

        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(302);
        var stored = DumpOptions.fromJson(new AddonRepository(app.db).databaseEntry(addonId, "MAIN_URL").orElseThrow().dumpOptions());
        assertThat(stored).isEqualTo(new DumpOptions(java.util.List.of("audit_log", "public.tmp_*"), java.util.List.of("events"),
                java.util.List.of(), java.util.List.of(), true, false, 9));
        assertRefused(post("/dashboard/databases/options", Map.of("database", "MAIN_URL", "exclude_tables", "--file=/etc/passwd")),
                "not a table or schema name");
        assertRefused(post("/dashboard/databases/options", Map.of("database", "SHOP_URL", "schemas", "public")), "PostgreSQL only");
        assertRefused(post("/dashboard/databases/options", Map.of("database", "NOPE_URL")), "No database NOPE_URL");
    }

    private java.net.http.HttpResponse<String> post(String path, Map<String, String> form) {
        return browser.post(path, form);
    }

    private static void assertRefused(java.net.http.HttpResponse<String> response, String reason) {
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains(reason);
    }
}
