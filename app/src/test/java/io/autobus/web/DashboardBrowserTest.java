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
        assertThat(waitFor(By.id("done")).getText()).contains("in progress");

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
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver -> "22".equals(new Select(driver.findElement(
                By.cssSelector("#schedule select[name=hour]"))).getFirstSelectedOption().getAttribute("value")));
        browser.findElement(By.cssSelector("#api button[value=enable]")).click();
        assertThat(waitFor(By.id("api-token")).getText()).matches("[A-Za-z0-9_-]{43}");
        screenshot("5-settings");

        browser.get(base + "/dashboard/snapshots/" + snapshotId);
        browser.findElement(By.cssSelector("a.button.danger")).click();
        waitFor(By.id("confirm"));
        screenshot("6-delete-confirmation");
        browser.findElement(By.id("confirm")).click();
        assertThat(waitFor(By.id("done")).getText()).contains("deleted");
        assertThat(browser.findElements(By.cssSelector("tr.snapshot"))).isEmpty();
        screenshot("7-snapshots-after-delete");
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
        screenshot("8-statistics-chart");

        assertThat(yLabels).as("rendered y-axis labels").hasSizeGreaterThanOrEqualTo(3).doesNotHaveDuplicates().startsWith("0");
        assertThat(rowLabels).as("rendered y-axis labels").hasSizeGreaterThanOrEqualTo(3).doesNotHaveDuplicates().startsWith("0");
        var day = java.time.format.DateTimeFormatter.ofPattern("MMM d", java.util.Locale.ENGLISH);
        assertThat(xLabels).as("rendered date labels: the days with a snapshot").containsExactly(
                day.format(today.minusDays(3)), day.format(today.minusDays(1)), day.format(today));
        assertThat(size.findElements(By.tagName("circle"))).as("one point a day").hasSize(3);
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
