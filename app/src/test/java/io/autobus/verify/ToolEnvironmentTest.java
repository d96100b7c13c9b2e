package io.autobus.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.backup.DatabaseLocks;
import io.autobus.backup.Snapshot;
import io.autobus.backup.SnapshotStatus;
import io.autobus.dump.DatabaseUrl;
import io.autobus.dump.Tools;
import io.autobus.notify.Notifier;
import io.autobus.storage.SnapshotStores;
import io.autobus.support.BackupHarness;
import io.autobus.support.InterceptedStore;
import io.autobus.support.SourceDatabases;
import io.autobus.support.TestApp;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Every tool the service starts (pg_dump, mariadb-dump, pigz, pg_restore, mysql) sees only what
 * it needs, read from {@code /proc/<pid>/environ} while it runs: none of the service's own
 * variables. The test JVM holds a canary secret (surefire's environment) that must appear in none.
 */
class ToolEnvironmentTest {
    private static final Set<String> ALLOWED = Set.of("PATH", "LD_LIBRARY_PATH", "LANG", "LC_ALL", "TZ", "HOME", "TMPDIR",
            "PGPASSWORD", "PGSSLMODE", "PGHOSTADDR", "PGCONNECT_TIMEOUT", "PGAPPNAME");
    private static final String CANARY = System.getenv("AUTOBUS_CANARY_SECRET");
    private static final PostgresScratch EMBEDDED = new PostgresScratch(Optional.empty(),
            TestApp.shared().settings.home().resolve("verify"));

    private final BackupHarness harness = new BackupHarness();
    /** The environment of each tool seen running, by program name. */
    private final Map<String, Map<String, String>> seen = new ConcurrentHashMap<>();

    @AfterAll
    static void stopEmbedded() throws Exception {
        EMBEDDED.close();
    }

    @Test
    void dump_and_restore_tools_of_both_engines_see_none_of_the_service_s_environment() throws Exception {
        assertThat(CANARY).as("surefire sets AUTOBUS_CANARY_SECRET in the test JVM's environment").isNotBlank();
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", SourceDatabases.incompressiblePostgres("environ", 4));
        harness.attach(addon, "JAWSDB", "mysql://root@127.0.0.1:3306/" + incompressibleMariadb());

        // Each tool is looked at while the store waits to read its output (it then blocks on a full pipe).
        Snapshot postgres = harness.backup(addon, "DATABASE_URL", store -> InterceptedStore.onPut(store, look("pg_dump")));
        Snapshot mysql = harness.backup(addon, "JAWSDB_URL", store -> InterceptedStore.onPut(store, look("mariadb-dump", "pigz")));
        assertThat(postgres.status()).as(postgres.error()).isEqualTo(SnapshotStatus.COMPLETED);
        assertThat(mysql.status()).as(mysql.error()).isEqualTo(SnapshotStatus.COMPLETED);
        // A restoring tool is looked at when it asks for the snapshot (it then waits on its stdin).
        UnaryOperator<InputStream> restoring = look("pg_restore", "mariadb");
        var stores = SnapshotStores.crossContinental(InterceptedStore.onOpen(harness.us, restoring),
                InterceptedStore.onOpen(harness.eu, restoring));
        assertThat(verifier(stores).verify(postgres.id()).orElseThrow().outcome()).isEqualTo(Verdict.Outcome.VERIFIED);
        assertThat(verifier(stores).verify(mysql.id()).orElseThrow().outcome()).isEqualTo(Verdict.Outcome.VERIFIED);

        assertThat(seen.keySet()).containsExactlyInAnyOrder("pg_dump", "mariadb-dump", "pigz", "pg_restore", "mariadb");
        seen.forEach((program, environment) -> {
            assertThat(environment.keySet()).as(program).isSubsetOf(ALLOWED);
            assertThat(environment.values()).as(program).noneMatch(value -> value.contains(CANARY));
            assertThat(environment.get("HOME")).as(program + "'s HOME").startsWith(harness.toolRoot().toString());
        });
        assertThat(seen.get("pg_dump")).containsKeys("PGPASSWORD", "PGSSLMODE");
    }

    /** At the stream's first read, records the environment of the named tools (the service's children) running then. */
    private UnaryOperator<InputStream> look(String... programs) {
        return stream -> new FilterInputStream(stream) {
            private boolean looked;

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (!looked) {
                    looked = true;
                    for (String program : programs) {
                        ProcessHandle.current().descendants()
                                .filter(p -> p.info().command().orElse("").endsWith("/" + program))
                                .forEach(p -> seen.put(program, environ(p.pid())));
                    }
                }
                return super.read(buffer, offset, length);
            }
        };
    }

    private static Map<String, String> environ(long pid) {
        try {
            var environment = new LinkedHashMap<String, String>();
            String raw = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8);
            for (String entry : raw.split("\0")) {
                int equals = entry.indexOf('=');
                if (equals > 0) {
                    environment.put(entry.substring(0, equals), entry.substring(equals + 1));
                }
            }
            return environment;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A MariaDB database of a few MiB that does not compress, so that mariadb-dump and pigz outlast a pipe buffer. */
    private static String incompressibleMariadb() throws Exception {
        String database = SourceDatabases.createMariadb("environ");
        try (var connection = SourceDatabases.mariadb(database); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE blobs (id INT PRIMARY KEY, data BLOB)");
            statement.execute("INSERT INTO blobs SELECT seq, UNHEX(CONCAT(SHA2(RAND(), 512), SHA2(RAND(), 512), SHA2(RAND(), 512),"
                    + " SHA2(RAND(), 512))) FROM seq_1_to_20000");
        }
        return database;
    }

    private SnapshotVerifier verifier(SnapshotStores stores) {
        var ds = new PGSimpleDataSource();
        ds.setUrl(harness.app.databaseUrl.replace("postgres://postgres@", "jdbc:postgresql://"));
        ds.setUser("postgres");
        var notifier = new Notifier(harness.app.db, harness.app.scheduler(), false, harness.app.clock);
        return new SnapshotVerifier(harness.snapshots, stores, EMBEDDED,
                Optional.of(new MysqlScratch(DatabaseUrl.parse("mysql://root@127.0.0.1:3306/mysql"))),
                Tools.installed(harness.toolRoot()), new DatabaseLocks(ds), notifier, harness.app.settings.jobLimits(),
                harness.app.clock);
    }
}
