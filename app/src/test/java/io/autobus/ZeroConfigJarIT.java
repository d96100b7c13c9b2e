package io.autobus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autobus.support.DashboardSession;
import io.autobus.support.HerokuPartner;
import io.autobus.support.HerokuSso;
import io.autobus.support.HttpDriver;
import io.autobus.support.SourceDatabases;
import io.autobus.support.TestDatabase;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, started the way a new user starts it: {@code java -jar app/target/autobus.jar}
 * in an empty directory with no configuration (only PORT, so the test does not depend on 5000
 * being free). It must come up on its embedded PostgreSQL, print working credentials, and keep
 * everything across a restart.
 */
class ZeroConfigJarIT {
    @TempDir
    Path workingDirectory;

    @Test
    void the_jar_runs_with_no_configuration_and_a_restart_keeps_its_data_and_secrets() throws Exception {
        int port = freePort();
        UUID addonId = UUID.randomUUID();

        var first = Started.jar(workingDirectory, port);
        String password = first.value("partner API user autobus, password (\\S+)");
        String salt = first.value("SSO salt (\\S+)");
        var heroku = new HerokuPartner(new HttpDriver("http://localhost:" + port), "autobus", password);
        var provision = heroku.provision(addonId, "free", "dev-grant");
        assertThat(provision.statusCode()).isEqualTo(200);
        assertThat(ssoLogin(port, addonId, salt)).isEqualTo(302);
        first.stop();

        assertThat(workingDirectory.resolve(".autobus/postgres/PG_VERSION")).exists();
        assertThat(workingDirectory.resolve(".autobus/dev-secrets.properties")).exists();

        var second = Started.jar(workingDirectory, port);
        try {
            assertThat(second.value("partner API user autobus, password (\\S+)")).isEqualTo(password);
            assertThat(second.output()).contains("embedded PostgreSQL");
            var again = heroku.provision(addonId, "free", "dev-grant");
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.body()).as("the same add-on, with the same key, came back from disk").isEqualTo(provision.body());
            assertThat(ssoLogin(port, addonId, salt)).isEqualTo(302);
        } finally {
            second.stop();
        }
    }

    @Test
    void a_newcomer_attaches_a_local_database_takes_a_snapshot_and_restores_it_with_the_seed_s_command() throws Exception {
        int port = freePort();
        UUID addonId = UUID.randomUUID();
        String source = TestDatabase.create("newcomer");
        try (var connection = SourceDatabases.postgres(source); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE todos (id int PRIMARY KEY, title text)");
            statement.execute("INSERT INTO todos SELECT i, 'todo ' || i FROM generate_series(1, 99) i");
        }
        var jar = Started.jar(workingDirectory, port);
        try {
            var http = new HttpDriver("http://localhost:" + port);
            var heroku = new HerokuPartner(http, "autobus", jar.value("partner API user autobus, password (\\S+)"));
            assertThat(heroku.provision(addonId, "free", "dev-grant").statusCode()).isEqualTo(200);
            var browser = DashboardSession.open(http, addonId, Instant.now(), jar.value("SSO salt (\\S+)"), "my-app");

            var attach = browser.post("/dashboard/databases", Map.of("name", "DATABASE", "url", source));
            var backup = browser.post("/dashboard/snapshots", Map.of("database", "DATABASE_URL"));

            assertThat(attach.statusCode()).as(attach.body()).isEqualTo(302);
            assertThat(backup.statusCode()).as(backup.body()).isEqualTo(302);
            await().atMost(Duration.ofSeconds(60)).until(() -> browser.page().body().contains("data-status=\"completed\""));
            await().atMost(Duration.ofSeconds(90)).until(() -> browser.page().body().contains("data-verification=\"verified\""));
            String page = browser.page().body();
            String snapshotId = value(page, "/dashboard/snapshots/([0-9a-f]{24})/download");
            String link = browser.get("/dashboard/snapshots/" + snapshotId + "/download").headers().firstValue("Location").orElseThrow();
            Path file = workingDirectory.resolve("DATABASE_" + snapshotId + ".dump");
            SourceDatabases.download(URI.create(link), file);

            String target = TestDatabase.create("restored");
            SourceDatabases.run(List.of("pg_restore", "--verbose", "--clean", "--no-acl", "--no-owner",
                    "-h", "127.0.0.1", "-U", "postgres", "-d", target.substring(target.lastIndexOf('/') + 1), file.toString()));
            try (var before = SourceDatabases.postgres(source); var after = SourceDatabases.postgres(target)) {
                String query = "SELECT id, title FROM todos ORDER BY id";
                assertThat(SourceDatabases.rows(after, query)).hasSize(100).isEqualTo(SourceDatabases.rows(before, query));
            }
        } finally {
            jar.stop();
        }
    }

    @Test
    void a_service_killed_in_the_middle_of_a_backup_restarts_and_the_snapshot_completes_instead_of_staying_running() throws Exception {
        int port = freePort();
        UUID addonId = UUID.randomUUID();
        String source = SourceDatabases.incompressiblePostgres("crash", 120);
        var first = Started.jar(workingDirectory, port);
        var http = new HttpDriver("http://localhost:" + port);
        String password = first.value("partner API user autobus, password (\\S+)");
        String salt = first.value("SSO salt (\\S+)");
        assertThat(new HerokuPartner(http, "autobus", password).provision(addonId, "free", "dev-grant").statusCode()).isEqualTo(200);
        var browser = DashboardSession.open(http, addonId, Instant.now(), salt, "my-app");
        browser.post("/dashboard/databases", Map.of("name", "DATABASE", "url", source));
        browser.post("/dashboard/snapshots", Map.of("database", "DATABASE_URL"));
        await().atMost(Duration.ofSeconds(30)).until(() -> browser.page().body().contains("data-status=\"running\""));

        first.process().destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        var second = Started.jar(workingDirectory, port);
        try {
            var again = DashboardSession.open(http, addonId, Instant.now(), salt, "my-app");
            await().atMost(Duration.ofSeconds(150)).until(() -> again.page().body().contains("data-status=\"completed\""));
            String page = again.page().body();
            assertThat(page.split("class=\"snapshot\"", -1)).as("one snapshot, not a duplicate").hasSize(2);
            String snapshotId = value(page, "data-id=\"([0-9a-f]{24})\"");
            Path stored = workingDirectory.resolve(".autobus/snapshots/" + addonId + "/DATABASE_" + snapshotId + ".dump");
            assertThat(stored).exists();
            assertThat(Files.size(stored)).isGreaterThan(100L * 1024 * 1024);
            try (var files = Files.walk(workingDirectory.resolve(".autobus/snapshots"))) {
                assertThat(files.filter(f -> f.toString().endsWith(".partial"))).as("no half-written file left").isEmpty();
            }
        } finally {
            second.stop();
        }
    }

    @Test
    void the_metadata_database_restarting_during_a_backup_loses_nothing() throws Exception {
        int port = freePort();
        int metadataPort = freePort();
        Path metadataDir = Files.createTempDirectory("metadata");
        var metadata = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setDataDirectory(metadataDir).setCleanDataDirectory(false).setPort(metadataPort).start();
        UUID addonId = UUID.randomUUID();
        String source = SourceDatabases.incompressiblePostgres("restart", 120);
        var jar = Started.jar(workingDirectory, port, Map.of("DATABASE_URL", "postgres://postgres@127.0.0.1:" + metadataPort + "/postgres"));
        try {
            var http = new HttpDriver("http://localhost:" + port);
            var heroku = new HerokuPartner(http, "autobus", jar.value("partner API user autobus, password (\\S+)"));
            assertThat(heroku.provision(addonId, "free", "dev-grant").statusCode()).isEqualTo(200);
            var browser = DashboardSession.open(http, addonId, Instant.now(), jar.value("SSO salt (\\S+)"), "my-app");
            browser.post("/dashboard/databases", Map.of("name", "DATABASE", "url", source));
            browser.post("/dashboard/snapshots", Map.of("database", "DATABASE_URL"));
            await().atMost(Duration.ofSeconds(30)).until(() -> browser.page().body().contains("data-status=\"running\""));

            metadata.close();
            metadata = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setDataDirectory(metadataDir).setCleanDataDirectory(false).setPort(metadataPort).start();

            await().atMost(Duration.ofSeconds(180)).ignoreExceptions()
                    .until(() -> browser.page().body().contains("data-status=\"completed\""));
            String page = browser.page().body();
            assertThat(page.split("class=\"snapshot\"", -1)).as("one snapshot").hasSize(2);
            assertThat(page).doesNotContain("data-status=\"running\"");
        } finally {
            jar.stop();
            metadata.close();
        }
    }

    @Test
    void a_worker_killed_during_a_verification_leaves_no_verification_server_and_no_private_files_after_its_restart()
            throws Exception {
        int port = freePort();
        UUID addonId = UUID.randomUUID();
        // Restoring this table never ends: the worker is killed in the middle of a verification.
        String source = SourceDatabases.checkedDuringVerification("stalls", "PERFORM pg_sleep(600)");
        var first = Started.jar(workingDirectory, port);
        var browser = provisionedAndSignedIn(first, port, addonId);
        browser.post("/dashboard/databases", Map.of("name", "DATABASE", "url", source));
        browser.post("/dashboard/snapshots", Map.of("database", "DATABASE_URL"));
        await().atMost(Duration.ofSeconds(90)).until(() -> running(first.process(), "pg_restore"));
        Path server;
        try (var servers = Files.list(workingDirectory.resolve(".autobus/verify"))) {
            server = servers.filter(dir -> dir.getFileName().toString().startsWith("postgres-" + first.process().pid() + "-"))
                    .findFirst().orElseThrow();
        }
        long postmaster = Long.parseLong(Files.readAllLines(server.resolve("postmaster.pid")).getFirst().trim());

        first.process().destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

        await("the verification server, with the customer's restored data, goes with its worker").atMost(Duration.ofSeconds(30))
                .until(() -> ProcessHandle.of(postmaster).map(p -> !p.isAlive()).orElse(true) && !Files.exists(server));
        var second = Started.jar(workingDirectory, port);
        try {
            assertThat(leftoverRuns(first.process().pid())).as("private directories of the killed worker's tools").isEmpty();
        } finally {
            second.stop();
        }
    }

    @Test
    void a_worker_killed_during_a_mysql_dump_leaves_its_defaults_file_only_until_the_restart() throws Exception {
        int port = freePort();
        UUID addonId = UUID.randomUUID();
        String database = SourceDatabases.createMariadb("killed");
        try (var lock = SourceDatabases.mariadb(database); var statement = lock.createStatement()) {
            statement.execute("CREATE TABLE t (v INT)");
            statement.execute("INSERT INTO t VALUES (1)");
            // The dump waits for this lock: the worker is killed while mariadb-dump runs.
            statement.execute("LOCK TABLES t WRITE");
            var first = Started.jar(workingDirectory, port);
            var browser = provisionedAndSignedIn(first, port, addonId);
            browser.post("/dashboard/databases", Map.of("name", "JAWSDB", "url", "mysql://root@127.0.0.1:3306/" + database));
            browser.post("/dashboard/snapshots", Map.of("database", "JAWSDB_URL"));
            await().atMost(Duration.ofSeconds(60)).until(() -> running(first.process(), "mariadb-dump"));
            assertThat(leftoverRuns(first.process().pid())).as("the dump's private directory").hasSize(1);

            first.process().destroyForcibly();
            assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(leftoverRuns(first.process().pid())).as("left by the kill, password and all").hasSize(1);

            var second = Started.jar(workingDirectory, port);
            try {
                assertThat(leftoverRuns(first.process().pid())).as("swept at the worker's start").isEmpty();
            } finally {
                statement.execute("UNLOCK TABLES");
                second.stop();
            }
        }
    }

    /** Provisions the add-on on the running jar and signs in to its dashboard, as Heroku and a browser would. */
    private static DashboardSession provisionedAndSignedIn(Started jar, int port, UUID addonId) {
        var http = new HttpDriver("http://localhost:" + port);
        assertThat(new HerokuPartner(http, "autobus", jar.value("partner API user autobus, password (\\S+)"))
                .provision(addonId, "free", "dev-grant").statusCode()).isEqualTo(200);
        return DashboardSession.open(http, addonId, Instant.now(), jar.value("SSO salt (\\S+)"), "my-app");
    }

    /** Whether a descendant of the process runs the named program. */
    private static boolean running(Process process, String program) {
        return process.descendants().anyMatch(p -> p.info().command().orElse("").endsWith("/" + program));
    }

    /** The tools' private directories (defaults files, restore lists) of a process, under AUTOBUS_HOME/tmp. */
    private List<Path> leftoverRuns(long pid) throws IOException {
        Path root = workingDirectory.resolve(".autobus/tmp");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (var runs = Files.list(root)) {
            return runs.filter(run -> run.getFileName().toString().startsWith("run-" + pid + "-")).toList();
        }
    }

    private static String value(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as(regex + " in\n" + text).isTrue();
        return matcher.group(1);
    }

    private static int ssoLogin(int port, UUID addonId, String salt) {
        return new HttpDriver("http://localhost:" + port)
                .postForm("/sso/login", HerokuSso.form(addonId, Instant.now(), salt, "dev-app")).statusCode();
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A running jar and everything it printed so far. */
    private record Started(Process process, StringBuffer out) {
        static Started jar(Path directory, int port) throws IOException {
            return jar(directory, port, Map.of());
        }

        static Started jar(Path directory, int port, Map<String, String> environment) throws IOException {
            String jar = System.getProperty("autobus.jar", "target/autobus.jar");
            assertThat(Path.of(jar)).as("run through 'mvn verify', which packages the jar first").exists();
            var builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    Path.of(jar).toAbsolutePath().toString())
                    .directory(directory.toFile())
                    .redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().put("PATH", System.getenv("PATH"));
            builder.environment().put("PORT", Integer.toString(port));
            builder.environment().putAll(environment);
            var started = new Started(builder.start(), new StringBuffer());
            Thread.ofVirtual().start(() -> {
                try (var reader = new BufferedReader(new InputStreamReader(started.process.getInputStream(), StandardCharsets.UTF_8))) {
                    reader.lines().forEach(line -> started.out.append(line).append('\n'));
                } catch (IOException | java.io.UncheckedIOException ignored) {
                    // the process ended
                }
            });
            await().atMost(Duration.ofSeconds(90))
                    .failFast("the jar exited:\n" + started.out, () -> !started.process.isAlive())
                    .until(() -> started.out.toString().contains("Autobus is running on http://localhost:" + port));
            return started;
        }

        String output() {
            return out.toString();
        }

        String value(String regex) {
            Matcher matcher = Pattern.compile(regex).matcher(out);
            assertThat(matcher.find()).as("printed at start: " + regex + "\n" + out).isTrue();
            return matcher.group(1);
        }

        void stop() throws InterruptedException {
            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        }
    }
}
