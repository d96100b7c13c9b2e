package io.autobus.support;

import io.autobus.App;
import io.autobus.Role;
import io.autobus.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * The whole service, web and worker, started once per test JVM on a random port, against a
 * fresh database on the real PostgreSQL and the WireMock fakes of Heroku. Tests keep out of
 * each other's way by using their own add-on and app ids.
 */
public final class TestApp {
    public static final String ADDON_ID = "autobus";
    public static final String PASSWORD = "test-partner-password";
    public static final String SSO_SALT = "test-sso-salt";
    public static final String PUBLIC_URL = "https://autobus.example.com";
    public static final byte[] SECRET_KEY = "0123456789abcdef0123456789abcdef".getBytes();

    private static TestApp shared;

    public final FakeHerokuPlatform platform = new FakeHerokuPlatform();
    public final FakeHerokuIdentity identity = new FakeHerokuIdentity();
    public final TestClock clock = new TestClock();
    public final String databaseUrl = TestDatabase.create("autobus_test");
    public final Settings settings;
    public final App app;
    public final DSLContext db;
    public final HttpDriver http;
    private org.jobrunr.storage.StorageProvider jobStorage;

    private TestApp() {
        this(Map.of());
    }

    private TestApp(Map<String, String> overrides) {
        var env = environment();
        env.putAll(overrides);
        this.settings = Settings.fromEnvironment(env);
        this.app = App.create(settings, clock, EnumSet.allOf(Role.class)).start(0);
        this.db = DSL.using(databaseUrl.replace("postgres://postgres@", "jdbc:postgresql://"), "postgres", "");
        this.http = new HttpDriver("http://localhost:" + app.port());
    }

    public static synchronized TestApp shared() {
        if (shared == null) {
            shared = new TestApp();
            TestDatabase.closeAtExit(shared::close);
        }
        return shared;
    }

    /** A service of its own, with some settings changed (short time limits, say), closed at exit like the shared one. */
    public static TestApp withEnvironment(Map<String, String> overrides) {
        var app = new TestApp(overrides);
        TestDatabase.closeAtExit(app::close);
        return app;
    }

    /** Queues jobs on this service's JobRunr, as its own services do. */
    public org.jobrunr.scheduling.JobRequestScheduler scheduler() {
        return app.jobScheduler();
    }

    /** JobRunr's storage of this service's jobs, for a test to read them or to queue through a scheduler it watches. */
    public synchronized org.jobrunr.storage.StorageProvider jobStorage() {
        if (jobStorage == null) {
            var dataSource = new org.postgresql.ds.PGSimpleDataSource();
            dataSource.setUrl(databaseUrl.replace("postgres://postgres@", "jdbc:postgresql://"));
            dataSource.setUser("postgres");
            jobStorage = new org.jobrunr.storage.sql.postgres.PostgresStorageProvider(dataSource);
            jobStorage.setJobMapper(new org.jobrunr.jobs.mappers.JobMapper(new org.jobrunr.utils.mapper.jackson.JacksonJsonMapper()));
        }
        return jobStorage;
    }

    /** The environment an operator would set, pointing Heroku at the fakes. */
    public Map<String, String> environment() {
        var env = new HashMap<String, String>();
        env.put("PORT", "0");
        env.put("DATABASE_URL", databaseUrl);
        env.put("AUTOBUS_HOME", temporaryHome());
        env.put("AUTOBUS_ADDON_ID", ADDON_ID);
        env.put("AUTOBUS_PASSWORD", PASSWORD);
        env.put("AUTOBUS_SSO_SALT", SSO_SALT);
        env.put("AUTOBUS_PUBLIC_URL", PUBLIC_URL);
        env.put("AUTOBUS_SECRET_KEY", Base64.getEncoder().encodeToString(SECRET_KEY));
        env.put("HEROKU_API_URL", platform.url());
        env.put("HEROKU_ID_URL", identity.url());
        env.put("HEROKU_OAUTH_SECRET", FakeHerokuIdentity.CLIENT_SECRET);
        env.put("HEROKU_API_KEY", FakeHerokuPlatform.AUTOBUS_ACCOUNT_KEY);
        // Every test client is 127.0.0.1, each with its own pooled connections: no per-address cap here
        // (http/SlowClientsTest tests the cap on an app of its own).
        env.put("AUTOBUS_HTTP_CONNECTIONS_PER_ADDRESS", "0");
        return env;
    }

    /** A freshly provisioned add-on of an app in the US, whose scheduled runs are far away. */
    public java.util.UUID provisionedAddon(String plan) {
        var id = java.util.UUID.randomUUID();
        org.assertj.core.api.Assertions.assertThat(HerokuPartner.of(this).provision(id, plan, "grant-" + id).statusCode()).isEqualTo(200);
        new io.autobus.backup.ScheduleRepository(db).save(id, io.autobus.backup.BackupSchedule.defaultFor(id),
                clock.instant().plus(java.time.Duration.ofDays(3650)));
        return id;
    }

    /** Attaches a database by URL, as the dashboard does, under this app's AUTOBUS_PRIVATE_NETWORKS. */
    public void attach(java.util.UUID addonId, String name, String url) {
        attacher(settings.privateNetworks()).attach(addonId, name, url, false);
    }

    /**
     * Records an attached database as if its connection test had passed when it was attached: for databases that
     * stall or fail later (tarpits, servers stopped on purpose), which the attacher's test would refuse today.
     */
    public void attachedEarlier(java.util.UUID addonId, String name, String url) {
        var addons = new io.autobus.addon.AddonRepository(db);
        var addon = addons.find(addonId).orElseThrow();
        var parsed = io.autobus.dump.DatabaseUrl.parse(url);
        var database = new io.autobus.addon.FoundDatabase(name + "_URL",
                parsed.engine() == io.autobus.dump.DatabaseUrl.Engine.POSTGRESQL ? "postgresql" : "mysql",
                parsed.host(), parsed.port(), parsed.database());
        addons.attach(addonId, database, new io.autobus.crypto.SecretBox(SECRET_KEY)
                .seal(io.autobus.backup.BackupTargets.urlPurpose(addon, database.configVar()), url), clock.instant());
    }

    /** The dashboard's attacher (connection test included) under {@code AUTOBUS_PRIVATE_NETWORKS}. */
    public io.autobus.backup.DatabaseAttacher attacher(io.autobus.net.PrivateNetworks privateNetworks) {
        return new io.autobus.backup.DatabaseAttacher(new io.autobus.addon.AddonRepository(db), new io.autobus.crypto.SecretBox(SECRET_KEY),
                clock, new io.autobus.net.CustomerAddresses(privateNetworks),
                io.autobus.dump.Dumpers.of(io.autobus.dump.Tools.installed(java.nio.file.Path.of(settings.home().toString(), "tmp")), 1, 1));
    }

    private static String temporaryHome() {
        try {
            return Files.createTempDirectory("autobus-home").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void close() {
        if (jobStorage != null) {
            jobStorage.close();
        }
        app.close();
        platform.close();
        identity.close();
    }
}
