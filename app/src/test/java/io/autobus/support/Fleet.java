package io.autobus.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The service deployed as on Heroku: one {@code web} and some {@code worker} processes of the
 * packaged jar, each with its own {@code AUTOBUS_HOME} (a dyno's disk), sharing one metadata
 * PostgreSQL ({@code DATABASE_URL}) and one snapshot store, with Heroku's OAuth server and
 * Platform API faked (WireMock) so that each add-on's app has a {@code DATABASE_URL} config var,
 * and one verification server for all workers ({@code VERIFY_POSTGRES_URL}, PostgreSQL 15 as the sources).
 */
public final class Fleet implements AutoCloseable {
    public static final String PASSWORD = "fleet-partner-password";
    public static final String SSO_SALT = "fleet-sso-salt";
    private static final String GRANT = "fleet-grant";
    private static final String PARTNER_TOKEN = "fleet-partner-token";

    private final Path root;
    private final String metadataJdbc;
    private final FakeHerokuIdentity identity = new FakeHerokuIdentity();
    private final FakeHerokuPlatform platform = new FakeHerokuPlatform();
    private final Map<String, String> environment = new HashMap<>();
    private final Path jar;
    /** The fleet's verification server (VERIFY_POSTGRES_URL), of the sources' major, as a deployment would have one. */
    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres verification;
    private final List<JarProcess> processes = new ArrayList<>();
    private JarProcess web;
    private final List<JarProcess> workers = new ArrayList<>();
    private int webPort;
    /** The JVM options app.json gives the dynos. */
    private List<String> jvmOptions = AppJson.javaOptions();
    private List<String> workerLauncher = List.of();

    /**
     * @param metadataUrl a fresh database for the service's own data ({@code postgres://...})
     * @param settings    more environment for every process ({@code AUTOBUS_WORKER_THREADS}, ...)
     */
    public Fleet(Path root, Path jar, String metadataUrl, Map<String, String> settings) throws IOException {
        try {
            this.verification = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setPgBinaryResolver((system, machine) -> io.autobus.db.PostgresBinaries.open(15))
                    .setServerConfig("fsync", "off").setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off").setServerConfig("max_connections", "100")
                    .start();
        } catch (IOException | RuntimeException e) {
            platform.close();
            identity.close();
            throw e;
        }
        this.root = root.toAbsolutePath(); // each process runs in a directory of its own: paths must not be relative
        this.jar = jar;
        this.metadataJdbc = metadataUrl.replace("postgres://postgres@", "jdbc:postgresql://") + "?user=postgres";
        identity.givenGrant(GRANT, PARTNER_TOKEN, "fleet-refresh-token", 28799);
        platform.givenReleasesOfEveryApp();
        environment.put("DATABASE_URL", metadataUrl);
        environment.put("AUTOBUS_PASSWORD", PASSWORD);
        environment.put("AUTOBUS_SSO_SALT", SSO_SALT);
        environment.put("AUTOBUS_SECRET_KEY", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        environment.put("AUTOBUS_STORAGE_DIR", this.root.resolve("store").toString()); // one store for all, as a bucket is
        environment.put("HEROKU_API_URL", platform.url());
        environment.put("HEROKU_ID_URL", identity.url());
        environment.put("HEROKU_OAUTH_SECRET", FakeHerokuIdentity.CLIENT_SECRET);
        environment.put("HEROKU_API_KEY", FakeHerokuPlatform.AUTOBUS_ACCOUNT_KEY);
        environment.put("AUTOBUS_HTTP_CONNECTIONS_PER_ADDRESS", "0");
        // One for the fleet: not an embedded server per worker, each unpacked and started on first use.
        environment.put("VERIFY_POSTGRES_URL", "postgres://postgres@127.0.0.1:" + verification.getPort() + "/postgres");
        environment.putAll(settings);
    }

    /** Starts the processes from now on with these JVM options instead of {@link #JVM} (the heap app.json sets, say). */
    public Fleet jvmOptions(List<String> options) {
        this.jvmOptions = List.copyOf(options);
        return this;
    }

    /** Starts the workers from now on through this launcher, which must exec its arguments (into a cgroup, say). */
    public Fleet workerLauncher(List<String> launcher) {
        this.workerLauncher = List.copyOf(launcher);
        return this;
    }

    /** Starts the web process and waits until it answers (it migrates the metadata database first). */
    public JarProcess startWeb() throws IOException {
        webPort = freePort();
        var env = new HashMap<>(environment);
        env.put("PORT", Integer.toString(webPort));
        env.put("AUTOBUS_PUBLIC_URL", baseUrl());
        web = started("web", env);
        await(web + " starts").atMost(Duration.ofSeconds(120))
                .failFast("web exited:\n" + web.output(), () -> !web.alive())
                .until(() -> web.output().contains("Autobus is running on"));
        return web;
    }

    /** Starts {@code count} more worker processes, all at once; {@link #awaitWorkers} waits until they run. */
    public List<JarProcess> startWorkers(int count) throws IOException {
        var added = new ArrayList<JarProcess>();
        for (int i = 0; i < count; i++) {
            var env = new HashMap<>(environment);
            env.put("PORT", "0");
            env.put("AUTOBUS_PUBLIC_URL", baseUrl());
            added.add(started("worker." + (workers.size() + 1), env));
            workers.add(added.getLast());
        }
        return added;
    }

    /** Waits until every worker started so far says it runs. */
    public void awaitWorkers() {
        for (JarProcess worker : workers) {
            await(worker + " starts").atMost(Duration.ofSeconds(120))
                    .failFast(worker + " exited:\n" + worker.output(), () -> !worker.alive())
                    .until(() -> worker.output().contains("Autobus is running (worker only)"));
        }
    }

    public JarProcess web() {
        return web;
    }

    public List<JarProcess> workers() {
        return List.copyOf(workers);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + webPort;
    }

    /**
     * Provisions {@code count} add-ons (free plan) through the partner API on the web process, each for an app of
     * its own whose {@code DATABASE_URL} is {@code sourceUrl}, and waits until the workers' access checks have found
     * that database for every one.
     */
    public List<UUID> provision(int count, String sourceUrl) throws SQLException {
        var partner = new HerokuPartner(new HttpDriver(baseUrl()), "autobus", PASSWORD);
        var ids = new ArrayList<UUID>();
        for (int i = 0; i < count; i++) {
            UUID addonId = UUID.randomUUID();
            UUID appId = UUID.randomUUID();
            String appName = "fleet-app-" + i;
            platform.givenAddon(addonId, appId, appName, PARTNER_TOKEN);
            platform.givenCollaborators(appId, appName, PARTNER_TOKEN);
            platform.givenConfigVarsJson(appId, "{\"DATABASE_URL\": \"" + sourceUrl + "\"}");
            var answer = partner.provision(addonId, "free", GRANT);
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("provisioning answered " + answer.statusCode() + ": " + answer.body());
            }
            ids.add(addonId);
        }
        await("access checks find every add-on's DATABASE_URL").atMost(Duration.ofSeconds(120))
                .failFast("a process exited", () -> processes.stream().anyMatch(p -> !p.alive()))
                .until(() -> count("SELECT count(*) FROM addon a JOIN addon_database d ON d.addon_id = a.id"
                        + " WHERE a.access_state = 'active' AND d.config_var = 'DATABASE_URL'") == count);
        return ids;
    }

    /**
     * Every add-on's daily run at the same minute (this one, UTC), already come: all are due at once, and the next
     * round of the dispatcher (every minute, on whichever worker JobRunr gives it) enqueues them all.
     *
     * @return the run they are due for
     */
    public Instant dueAtOnce() throws SQLException {
        Instant due = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        var at = due.atZone(ZoneOffset.UTC);
        try (Connection connection = connect();
             var update = connection.prepareStatement("UPDATE addon SET backup_hour = ?, backup_minute = ?, backup_time_zone = 'UTC',"
                     + " next_backup_at = ?")) {
            update.setInt(1, at.getHour());
            update.setInt(2, at.getMinute());
            update.setTimestamp(3, Timestamp.from(due));
            update.executeUpdate();
        }
        return due;
    }

    /**
     * Runs the dispatcher's round now instead of at its next minute: enqueues the recurring job's request once more, as
     * the Trigger button on JobRunr's dashboard does, and rings the workers' bell. The recurring round still comes too.
     */
    public void dispatchNow() throws SQLException {
        var dataSource = new org.postgresql.ds.PGSimpleDataSource();
        dataSource.setUrl(metadataJdbc);
        var storage = new org.jobrunr.storage.sql.postgres.PostgresStorageProvider(dataSource);
        try {
            storage.setJobMapper(new org.jobrunr.jobs.mappers.JobMapper(new org.jobrunr.utils.mapper.jackson.JacksonJsonMapper()));
            new org.jobrunr.scheduling.JobRequestScheduler(storage).enqueue(new io.autobus.backup.DispatchBackupsJob());
        } finally {
            storage.close();
        }
        try (Connection connection = connect(); var ring = connection.createStatement()) {
            ring.execute("SELECT pg_notify('autobus_jobs', '')");
        }
    }

    /** The first column of the first row of {@code sql} on the metadata database, as a number. */
    public long count(String sql) throws SQLException {
        try (Connection connection = connect(); var statement = connection.createStatement(); var rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Each row of {@code sql} as its first column mapped to its second. */
    public Map<String, String> pairs(String sql) throws SQLException {
        var result = new LinkedHashMap<String, String>();
        try (Connection connection = connect(); var statement = connection.createStatement(); var rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                result.put(rows.getString(1), rows.getString(2));
            }
        }
        return result;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(metadataJdbc);
    }

    private JarProcess started(String name, Map<String, String> env) throws IOException {
        Path directory = root.resolve(name);
        env.put("AUTOBUS_HOME", directory.resolve(".autobus").toString());
        boolean worker = name.startsWith("worker");
        var process = JarProcess.start(name, jar, directory, worker ? workerLauncher : List.of(), jvmOptions,
                List.of(worker ? "worker" : "web"), env);
        processes.add(process);
        return process;
    }

    /** Stops every process (and what each started), then the fakes. */
    @Override
    public void close() throws InterruptedException {
        try {
            closeAll(processes.reversed());
        } finally {
            platform.close();
            identity.close();
            try {
                verification.close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** Each one, even when closing another failed. */
    private static void closeAll(List<JarProcess> left) throws InterruptedException {
        if (left.isEmpty()) {
            return;
        }
        try {
            left.getFirst().close();
        } finally {
            closeAll(left.subList(1, left.size()));
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
