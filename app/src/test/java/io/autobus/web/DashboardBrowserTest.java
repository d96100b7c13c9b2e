package io.autobus.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.support.HerokuPartner;
import io.autobus.support.HerokuSso;
import io.autobus.support.SourceDatabases;
import io.autobus.support.TestApp;
import io.autobus.support.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard as a customer uses it, in Debian's headless Chromium: sign in through Heroku's
 * SSO form, attach a database, create a snapshot and watch it complete and verify, download it,
 * change a setting, delete it. A screenshot of each page goes to {@code target/screenshots/}.
 */
class DashboardBrowserTest {
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final TestApp app = TestApp.shared();
    private final WebDriver browser = chromium();
    private final String base = app.http.baseUrl();

    @AfterEach
    void quit() {
        browser.quit();
    }

    @Test
    void a_customer_signs_in_backs_up_downloads_changes_a_setting_and_deletes_a_snapshot() throws Exception {
        UUID addonId = UUID.randomUUID();
        assertThat(HerokuPartner.of(app).provision(addonId, "travel", "grant-" + addonId).statusCode()).isEqualTo(200);
        String source = TestDatabase.create("browser");
        try (var connection = SourceDatabases.postgres(source); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE orders (id int PRIMARY KEY, total numeric)");
            statement.execute("INSERT INTO orders SELECT i, i * 3 FROM generate_series(1, 250) i");
        }

        signIn(addonId);
        assertThat(browser.getCurrentUrl()).isEqualTo(base + "/dashboard");
        screenshot("1-snapshots-empty");

        browser.findElement(By.cssSelector("#databases summary")).click();
        browser.findElement(By.cssSelector("#attach-database input[name=name]")).sendKeys("DATABASE");
        browser.findElement(By.cssSelector("#attach-database input[name=url]")).sendKeys(source);
        browser.findElement(By.cssSelector("#attach-database button")).click();
        waitFor(By.cssSelector("#create-snapshot input[name=description]")).sendKeys("before the migration");
        browser.findElement(By.cssSelector("#create-snapshot button")).click();
        assertThat(flash("Snapshot of")).isEqualTo("Snapshot of DATABASE_URL queued; this page follows it until it is done and verified.");

        // The page refreshes itself while the snapshot is taken and verified.
        try {
            new WebDriverWait(browser, Duration.ofSeconds(90)).until(driver ->
                    !driver.findElements(By.cssSelector("tr.snapshot[data-status=completed] td.verification[data-verification=verified]")).isEmpty());
        } catch (org.openqa.selenium.TimeoutException e) {
            screenshot("failed-waiting-for-verification");
            throw new AssertionError("the snapshot did not complete and verify; the page shows:\n"
                    + browser.findElement(By.tagName("main")).getText(), e);
        }
        var row = browser.findElement(By.cssSelector("tr.snapshot"));
        assertThat(row.getText()).contains("Manual").contains("before the migration").contains("verified");
        screenshot("2-snapshots-verified");

        String snapshotId = row.getAttribute("data-id");
        browser.findElement(By.cssSelector("tr.snapshot td a code")).click();
        assertThat(waitFor(By.id("restore-pg-restore")).getText())
                .isEqualTo("pg_restore --verbose --clean --if-exists --no-acl --no-owner -h 127.0.0.1 -U myuser -d "
                        + source.substring(source.lastIndexOf('/') + 1) + " DATABASE_" + snapshotId + ".dump");
        assertThat(browser.findElement(By.id("restore-pg-restore")).getCssValue("word-break")).as("wraps between arguments only")
                .isEqualTo("normal");
        assertThat(browser.findElement(By.id("restore-heroku")).getText()).startsWith("heroku pg:backups:restore \"" + TestApp.PUBLIC_URL + "/downloads/");
        assertThat(browser.findElement(By.id("tables")).getText()).contains("public.orders").contains("250");
        screenshot("3-snapshot");

        String download = browser.findElement(By.cssSelector("a.button[href$='/download']")).getAttribute("href");
        var downloaded = download(download);
        assertThat(downloaded.statusCode()).isEqualTo(200);
        assertThat(downloaded.headers().firstValue("Content-Disposition").orElseThrow()).contains("DATABASE_" + snapshotId + ".dump");
        assertThat(new String(downloaded.body(), 0, 5)).isEqualTo("PGDMP");

        browser.get(base + "/dashboard/statistics");
        assertThat(browser.findElements(By.cssSelector("svg.chart"))).hasSize(2);
        screenshot("4-statistics");

        browser.get(base + "/dashboard/settings");
        new Select(browser.findElement(By.cssSelector("#schedule select[name=hour]"))).selectByValue("22");
        browser.findElement(By.cssSelector("#schedule button")).click();
        // The next page, not the one the click left: it says what was saved (waiting for the select raced the navigation).
        flash("Schedule saved: daily at 22:");
        assertThat(new Select(browser.findElement(By.cssSelector("#schedule select[name=hour]"))).getFirstSelectedOption()
                .getAttribute("value")).isEqualTo("22");
        browser.findElement(By.cssSelector("#api button[value=enable]")).click();
        assertThat(waitFor(By.id("api-token")).getText()).matches("[A-Za-z0-9_-]{43}");
        screenshot("5-settings");

        browser.get(base + "/dashboard/snapshots/" + snapshotId);
        browser.findElement(By.cssSelector("a.button.danger")).click();
        waitFor(By.id("confirm"));
        screenshot("6-delete-confirmation");
        browser.findElement(By.id("confirm")).click();
        assertThat(flash("Snapshot " + snapshotId)).isEqualTo("Snapshot " + snapshotId + " was deleted, with its file.");
        assertThat(browser.findElements(By.cssSelector("tr.snapshot"))).isEmpty();
        screenshot("7-snapshots-after-delete");
    }

    @Test
    void every_form_says_what_it_did_or_why_it_refused_with_what_was_typed_kept() throws Exception {
        UUID addonId = UUID.randomUUID();
        assertThat(HerokuPartner.of(app).provision(addonId, "travel", "grant-" + addonId).statusCode()).isEqualTo(200);
        String source = TestDatabase.create("answers");
        signIn(addonId);

        browser.findElement(By.cssSelector("#databases summary")).click();
        browser.findElement(By.cssSelector("#attach-database input[name=name]")).sendKeys("LOCAL");
        browser.findElement(By.cssSelector("#attach-database input[name=url]")).sendKeys("postgres://nowhere:5432");
        browser.findElement(By.cssSelector("#attach-database button")).click();
        assertThat(waitFor(By.cssSelector("#databases p.refused")).getText()).startsWith("This database cannot be attached");
        assertThat(browser.findElement(By.cssSelector("#attach-database input[name=name]")).getAttribute("value")).isEqualTo("LOCAL");
        screenshot("8-attach-refused");
        browser.findElement(By.cssSelector("#attach-database input[name=url]")).sendKeys(source);
        browser.findElement(By.cssSelector("#attach-database button")).click();
        flash("Database LOCAL_URL attached");
        browser.navigate().refresh();
        assertThat(browser.findElements(By.id("flash"))).as("shown once").isEmpty();

        var snapshots = new io.autobus.backup.SnapshotRepository(app.db);
        String failed = snapshots.createOrFind(new io.autobus.backup.SnapshotRepository.NewSnapshot(io.autobus.backup.SnapshotKeys.newId(),
                addonId, "LOCAL_URL", "postgresql", io.autobus.backup.SnapshotKind.MANUAL, null, null, UUID.randomUUID(), app.clock.instant()));
        snapshots.fail(failed, "pg_dump: error: query failed: ERROR: permission denied for table " + "audit_log_partition_".repeat(12)
                + " (pg_dump exited with 1)", app.clock.instant(), app.clock.instant(), true);
        browser.navigate().refresh();
        var delete = waitFor(By.cssSelector("tr.snapshot[data-id='" + failed + "'] a.delete"));
        var card = browser.findElement(By.id("snapshots"));
        assertThat(delete.getRect().getX() + delete.getRect().getWidth()).as("Delete stays inside the card")
                .isLessThanOrEqualTo(card.getRect().getX() + card.getRect().getWidth());
        screenshot("9-long-error");

        browser.get(base + "/dashboard/settings");
        new Select(browser.findElement(By.cssSelector("#schedule select[name=hour]"))).selectByValue("5");
        var zone = browser.findElement(By.cssSelector("#schedule input[name=time_zone]"));
        zone.clear();
        zone.sendKeys("Mars/Olympus");
        browser.findElement(By.cssSelector("#schedule button")).click();
        assertThat(waitFor(By.cssSelector("#schedule-settings p.refused")).getText()).contains("'Mars/Olympus' is not a time zone");
        assertThat(browser.findElement(By.cssSelector("#schedule input[name=time_zone]")).getAttribute("value")).isEqualTo("Mars/Olympus");
        assertThat(new Select(browser.findElement(By.cssSelector("#schedule select[name=hour]"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("5");
        assertThat(browser.findElement(By.tagName("nav")).getText()).contains("Snapshots").contains("Settings");
        screenshot("10-schedule-refused");
        zone = browser.findElement(By.cssSelector("#schedule input[name=time_zone]"));
        zone.clear();
        zone.sendKeys("Europe/Berlin");
        browser.findElement(By.cssSelector("#schedule button")).click();
        assertThat(flash("Schedule saved")).matches("Schedule saved: daily at 05:\\d\\d Europe/Berlin; the run on Sunday is kept as Weekly\\.");
        screenshot("11-schedule-saved");

        var level = browser.findElement(By.cssSelector("#options-LOCAL_URL input[name=compression_level]"));
        level.sendKeys("12");
        browser.findElement(By.cssSelector("#options-LOCAL_URL button")).click();
        assertThat(waitFor(By.cssSelector("#options-LOCAL_URL p.refused")).getText()).contains("compression");
        assertThat(browser.findElement(By.cssSelector("#options-LOCAL_URL input[name=compression_level]")).getAttribute("value")).isEqualTo("12");
        screenshot("12-options-refused");

        browser.findElement(By.cssSelector("#notify input[name=webhook_url]")).sendKeys("http://example.com/hook");
        browser.findElement(By.cssSelector("#notify button")).click();
        assertThat(waitFor(By.cssSelector("#notifications p.refused")).getText()).contains("https");
        var webhook = browser.findElement(By.cssSelector("#notify input[name=webhook_url]"));
        assertThat(webhook.getAttribute("value")).isEqualTo("http://example.com/hook");
        webhook.clear();
        webhook.sendKeys("https://example.com/hook");
        browser.findElement(By.cssSelector("#notify button")).click();
        assertThat(flash("Notifications saved")).isEqualTo("Notifications saved: e-mails go to the app owner, and each message is posted to https://example.com/hook.");

        browser.findElement(By.cssSelector("#api button[value=enable]")).click();
        flash("API enabled");
        String first = browser.findElement(By.id("api-token")).getText();
        browser.findElement(By.id("regenerate")).click();
        assertThat(waitFor(By.id("confirm-regenerate")).getText()).contains("The current token stops working at once");
        screenshot("13-regenerate-confirmation");
        browser.findElement(By.id("confirm")).click();
        String second = waitFor(By.id("api-token")).getText();
        assertThat(second).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(first);
        assertThat(browser.findElement(By.id("api-example")).getText()).isEqualTo("curl \"" + TestApp.PUBLIC_URL + "/api/snapshots?token=" + second + "\"");
        screenshot("14-new-token");

        browser.get(base + "/downloads/tampered-link");
        assertThat(waitFor(By.id("error-title")).getText()).isEqualTo("This download link does not work");
        assertThat(browser.findElement(By.tagName("nav")).getText()).contains("Snapshots");
        screenshot("15-bad-download-link");
        browser.findElement(By.id("back")).click();
        waitFor(By.id("databases"));
        assertThat(browser.getCurrentUrl()).isEqualTo(base + "/dashboard");
    }

    /** The message the page after an action shows, once it starts with {@code start} (the page the click left may show another). */
    private String flash(String start) {
        try {
            return new WebDriverWait(browser, Duration.ofSeconds(20)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(driver -> driver.findElements(By.id("flash")).stream().map(org.openqa.selenium.WebElement::getText)
                            .filter(text -> text.startsWith(start)).findFirst().orElse(null));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("no message starting \"" + start + "\"; " + browser.getCurrentUrl() + " shows:\n"
                    + browser.findElement(By.tagName("body")).getText(), e);
        }
    }

    @Test
    void the_statistics_charts_have_one_point_a_day_axis_labels_that_differ_and_distinct_dates() throws Exception {
        UUID addonId = UUID.randomUUID();
        assertThat(HerokuPartner.of(app).provision(addonId, "travel", "grant-" + addonId).statusCode()).isEqualTo(200);
        app.attach(addonId, "DATABASE", TestDatabase.create("chart"));
        LocalDate today = LocalDate.ofInstant(app.clock.instant(), ZoneOffset.UTC);
        // Two snapshots on the first day (the later one is that day's point), then a day without one; sizes 0.1% apart.
        completed(addonId, today.minusDays(3).atTime(9, 0), 10_700_000, 1_000);
        completed(addonId, today.minusDays(3).atTime(21, 0), 10_701_000, 1_010);
        completed(addonId, today.minusDays(1).atTime(9, 0), 10_712_000, 1_020);
        completed(addonId, today.atTime(0, 30), 10_713_000, 1_030);

        signIn(addonId);
        browser.get(base + "/dashboard/statistics");
        var size = waitFor(By.cssSelector("svg.chart.size"));
        var yLabels = size.findElements(By.cssSelector("text.y-label")).stream().map(e -> e.getText()).toList();
        var xLabels = size.findElements(By.cssSelector("text.x-label")).stream().map(e -> e.getText()).toList();
        var rowLabels = browser.findElements(By.cssSelector("svg.chart.rows text.y-label")).stream().map(e -> e.getText()).toList();
        screenshot("16-statistics-chart");

        assertThat(yLabels).as("rendered y-axis labels").hasSizeGreaterThanOrEqualTo(3).doesNotHaveDuplicates().startsWith("0");
        assertThat(rowLabels).as("rendered y-axis labels").hasSizeGreaterThanOrEqualTo(3).doesNotHaveDuplicates().startsWith("0");
        var day = java.time.format.DateTimeFormatter.ofPattern("MMM d", java.util.Locale.ENGLISH);
        assertThat(xLabels).as("rendered date labels: the days with a snapshot").containsExactly(
                day.format(today.minusDays(3)), day.format(today.minusDays(1)), day.format(today));
        assertThat(size.findElements(By.tagName("circle"))).as("one point a day").hasSize(3);
    }

    @Test
    void a_free_plan_lists_what_it_does_not_cover_refuses_one_database_more_and_detaches_after_a_confirmation() throws Exception {
        UUID addonId = UUID.randomUUID();
        assertThat(HerokuPartner.of(app).provision(addonId, "free", "grant-" + addonId).statusCode()).isEqualTo(200);
        signIn(addonId);

        browser.findElement(By.cssSelector("#databases summary")).click();
        browser.findElement(By.cssSelector("#attach-database input[name=name]")).sendKeys("MAIN");
        browser.findElement(By.cssSelector("#attach-database input[name=url]")).sendKeys(TestDatabase.create("free_main"));
        browser.findElement(By.cssSelector("#attach-database button")).click();
        assertThat(flash("Database MAIN_URL attached")).matches("Database MAIN_URL attached: PostgreSQL \\d+\\.\\d+, dumped with pg_dump \\d+.*"
                + " It is backed up on the daily schedule; \"Create snapshot\" backs it up now\\.");

        // The app gains a second database in its config vars: found, listed, not covered, and said why.
        app.clock.advance(Duration.ofSeconds(1));
        new io.autobus.addon.AddonRepository(app.db).replaceDatabases(addonId, java.util.List.of(new io.autobus.addon.FoundDatabase(
                "HEROKU_POSTGRESQL_PURPLE_URL", "postgresql", "ec2-1.compute-1.amazonaws.com", 5432, "d8f")), app.clock.instant());
        browser.navigate().refresh();
        var purple = waitFor(By.cssSelector("tr.database[data-name=HEROKU_POSTGRESQL_PURPLE_URL]"));
        assertThat(purple.getAttribute("data-covered")).isEqualTo("false");
        assertThat(purple.getText()).contains("not covered by your plan");
        assertThat(browser.findElement(By.cssSelector("tr.not-covered[data-name=HEROKU_POSTGRESQL_PURPLE_URL]")).getText())
                .contains("the free plan backs up 1 database (MAIN_URL)").contains("heroku addons:upgrade autobus:travel");
        var database = browser.findElement(By.id("databases"));
        assertThat((Long) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "return arguments[0].scrollWidth - arguments[0].clientWidth", database)).as("the box needs no sideways scrolling").isZero();
        assertThat(browser.findElement(By.cssSelector("tr.database[data-name=MAIN_URL]")).getText()).contains("daily");
        assertThat(new Select(browser.findElement(By.cssSelector("#create-snapshot select[name=database]"))).getOptions())
                .as("only what the plan covers can be snapshotted").extracting(o -> o.getAttribute("value")).containsExactly("MAIN_URL");
        screenshot("17-databases-not-covered");

        browser.findElement(By.cssSelector("#databases summary")).click();
        browser.findElement(By.cssSelector("#attach-database input[name=name]")).sendKeys("STAGING");
        browser.findElement(By.cssSelector("#attach-database input[name=url]")).sendKeys(TestDatabase.create("free_staging"));
        browser.findElement(By.cssSelector("#attach-database button")).click();
        assertThat(waitFor(By.cssSelector("#databases p.refused")).getText())
                .startsWith("This database cannot be attached: The free plan backs up 1 database and this add-on has MAIN_URL.")
                .contains("heroku addons:upgrade autobus:travel");
        assertThat(browser.findElement(By.cssSelector("#attach-database input[name=name]")).getAttribute("value")).isEqualTo("STAGING");
        screenshot("18-attach-beyond-the-plan");

        browser.get(base + "/dashboard");
        waitFor(By.cssSelector("tr.database[data-name=MAIN_URL] a.detach")).click();
        assertThat(waitFor(By.id("confirm-detach")).getText()).contains("Detach MAIN_URL?")
                .contains("Its snapshots stay: scheduled ones until their retention ends");
        screenshot("19-detach-confirmation");
        browser.findElement(By.id("confirm")).click();
        assertThat(flash("Database MAIN_URL was detached")).endsWith("its snapshots are kept until their retention ends.");
        assertThat(browser.findElements(By.cssSelector("tr.database[data-name=MAIN_URL]"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("tr.database a.detach"))).as("the app's own config vars are not detached here").isEmpty();
        screenshot("20-after-detach");
    }

    /** A completed snapshot of DATABASE_URL taken at {@code at} (UTC), with one table of {@code rows} rows. */
    private void completed(UUID addonId, java.time.LocalDateTime at, long databaseSize, long rows) {
        var repository = new io.autobus.backup.SnapshotRepository(app.db);
        Instant taken = at.toInstant(ZoneOffset.UTC);
        String id = repository.createOrFind(new io.autobus.backup.SnapshotRepository.NewSnapshot(io.autobus.backup.SnapshotKeys.newId(),
                addonId, "DATABASE_URL", "postgresql", io.autobus.backup.SnapshotKind.MANUAL, null, null, UUID.randomUUID(), taken));
        repository.complete(id, new io.autobus.backup.SnapshotRepository.Completion("15.4", 1000, "ab".repeat(32), "local", "k/" + id,
                new io.autobus.dump.DatabaseStatistics(databaseSize, java.util.List.of(
                        new io.autobus.dump.DatabaseStatistics.TableStatistics("public.t", rows, true, 8192))), "{}"), taken, taken.plusSeconds(5));
    }

    /** Form posts navigate; wait for the next page's element rather than racing it. */
    private org.openqa.selenium.WebElement waitFor(By element) {
        try {
            return new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver -> {
                var found = driver.findElements(element);
                return found.isEmpty() ? null : found.getFirst();
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError(element + " never appeared; " + browser.getCurrentUrl() + " shows:\n"
                    + browser.findElement(By.tagName("body")).getText(), e);
        }
    }

    /** Heroku's SSO page posts a signed form to us; a local page does the same here. */
    private void signIn(UUID addonId) throws Exception {
        var form = new StringBuilder("<html><body><form id='sso' method='post' action='" + base + "/sso/login'>");
        HerokuSso.form(addonId, app.clock.instant(), TestApp.SSO_SALT, "shop-app")
                .forEach((name, value) -> form.append("<input type='hidden' name='").append(name).append("' value='").append(value).append("'>"));
        form.append("</form><script>document.getElementById('sso').submit()</script></body></html>");
        Path page = Files.createTempFile("heroku-sso", ".html");
        Files.writeString(page, form);
        browser.get(page.toUri().toString());
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver -> driver.getCurrentUrl().startsWith(base + "/dashboard"));
    }

    private HttpResponse<byte[]> download(String link) throws Exception {
        String cookie = "autobus_session=" + browser.manage().getCookieNamed("autobus_session").getValue();
        var client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        var redirect = client.send(HttpRequest.newBuilder(URI.create(link)).header("Cookie", cookie).build(), HttpResponse.BodyHandlers.discarding());
        String signed = redirect.headers().firstValue("Location").orElseThrow().replace(TestApp.PUBLIC_URL, base);
        return client.send(HttpRequest.newBuilder(URI.create(signed)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private void screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static WebDriver chromium() {
        Path binary = Path.of("/usr/bin/chromium");
        Path driver = Path.of("/usr/bin/chromedriver");
        assertThat(binary).as("Debian's chromium (scripts/test installs it)").exists();
        assertThat(driver).as("Debian's chromium-driver (scripts/test installs it)").exists();
        var options = new ChromeOptions();
        options.setBinary(binary.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,1000", "--user-data-dir=" + temporaryDirectory());
        var service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).build();
        return new ChromeDriver(service, options);
    }

    private static String temporaryDirectory() {
        try {
            return Files.createTempDirectory("chromium").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
