package io.autobus.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autobus.backup.DatabaseLocks;
import io.autobus.backup.Snapshot;
import io.autobus.dump.DatabaseUrl;
import io.autobus.dump.Tools;
import io.autobus.notify.Notifier;
import io.autobus.storage.SnapshotStores;
import io.autobus.support.BackupHarness;
import io.autobus.support.InterceptedStore;
import io.autobus.support.SourceDatabases;
import io.autobus.support.TestApp;
import io.autobus.support.TestDatabase;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A customer's database is hostile: its functions run while verification restores it. They run
 * as the scratch database's own login, which can neither run programs nor read or write the
 * server's files, on the embedded verifier and on an external one (this machine's PostgreSQL
 * and MariaDB) alike. Each attack writes a file if it works; none may appear.
 */
class HostileRestoreTest {
    private static final PostgresScratch EMBEDDED = new PostgresScratch(Optional.empty(),
            TestApp.shared().settings.home().resolve("verify"));

    private final BackupHarness harness = new BackupHarness();
    private final PostgresScratch localPostgres = new PostgresScratch(Optional.of("postgres://postgres@127.0.0.1:5432/postgres"),
            harness.app.settings.home().resolve("verify"));
    private final MysqlScratch localMariadb = new MysqlScratch(DatabaseUrl.parse("mysql://root@127.0.0.1:3306/mysql"));

    @AfterAll
    static void stopEmbedded() throws Exception {
        EMBEDDED.close();
    }

    /** How the customer's function gets called while the data is restored or the schema completed. */
    @ParameterizedTest
    @ValueSource(strings = {"check constraint", "domain check", "index expression", "materialized view", "trigger", "copy to a file"})
    void a_function_that_runs_during_the_restore_can_run_no_program_and_write_no_file(String variant) throws Exception {
        for (PostgresScratch server : List.of(localPostgres, EMBEDDED)) {
            Path evidence = Path.of("/tmp/autobus-attack-" + UUID.randomUUID());
            String source = TestDatabase.create("hostile");
            try (var connection = SourceDatabases.postgres(source); var statement = connection.createStatement()) {
                String action = variant.equals("copy to a file")
                        ? "COPY (SELECT 1) TO ''" + evidence + "''"
                        : "COPY (SELECT 1) TO PROGRAM ''env > " + evidence + "''";
                statement.execute("CREATE FUNCTION public.attack(v int) RETURNS bool LANGUAGE plpgsql AS $f$ BEGIN"
                        + " IF current_database() LIKE 'autobus_verify_%' THEN EXECUTE '" + action + "'; END IF;"
                        + " RETURN true; END $f$");
                // Index expressions need an immutable function; it may still call a volatile one.
                statement.execute("CREATE FUNCTION public.f(v int) RETURNS bool LANGUAGE sql IMMUTABLE AS"
                        + " $f$ SELECT public.attack(v) $f$");
                statement.execute(switch (variant) {
                    case "domain check" -> "CREATE DOMAIN checked AS int CHECK (public.attack(VALUE)); CREATE TABLE t (v checked)";
                    case "index expression" -> "CREATE TABLE t (v int); CREATE INDEX ON t ((public.f(v)))";
                    case "materialized view" -> "CREATE TABLE t (v int); CREATE MATERIALIZED VIEW m AS SELECT public.attack(v) FROM t";
                    case "trigger" -> "CREATE TABLE t (v int); CREATE FUNCTION public.g() RETURNS trigger LANGUAGE plpgsql AS"
                            + " $g$ BEGIN PERFORM public.attack(NEW.v); RETURN NEW; END $g$;"
                            + " CREATE TRIGGER t_g BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION public.g()";
                    default -> "CREATE TABLE t (v int CHECK (public.attack(v)))";
                });
                statement.execute("INSERT INTO t VALUES (1), (2)");
                if (variant.equals("materialized view")) {
                    statement.execute("REFRESH MATERIALIZED VIEW m");
                }
            }
            UUID addon = harness.provisionedAddon();
            harness.attach(addon, "DATABASE", source);
            Snapshot snapshot = harness.backup(addon, "DATABASE_URL");

            var verdict = verifier(server, harness.stores).verify(snapshot.id()).orElseThrow();

            assertThat(evidence).as("%s on %s: %s", variant, server == EMBEDDED ? "the embedded verifier" : "an external verifier",
                    verdict.detail()).doesNotExist();
            assertThat(verdict.outcome()).as(verdict.detail()).isIn(Verdict.Outcome.VERIFIED, Verdict.Outcome.FAILED);
            assertThat(server.scratchDatabases()).doesNotContain(ScratchServer.PREFIX + snapshot.id());
        }
    }

    @Test
    void the_restore_runs_as_a_login_that_owns_only_the_scratch_database() throws Exception {
        // The customer's function reports who runs it, through the restore's own error message.
        String source = SourceDatabases.checkedDuringVerification("whoami", "RAISE EXCEPTION 'restored by % super=% program=% files=%',"
                + " current_user, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user),"
                + " pg_has_role(current_user, 'pg_execute_server_program', 'USAGE'),"
                + " pg_has_role(current_user, 'pg_write_server_files', 'USAGE')");
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", source);
        Snapshot snapshot = harness.backup(addon, "DATABASE_URL");

        for (PostgresScratch server : List.of(localPostgres, EMBEDDED)) {
            var verdict = verifier(server, harness.stores).verify(snapshot.id()).orElseThrow();

            assertThat(verdict.outcome()).isEqualTo(Verdict.Outcome.FAILED);
            assertThat(verdict.detail()).contains("restored by " + ScratchServer.PREFIX + snapshot.id()
                    + " super=f program=f files=f");
        }
    }

    @Test
    void the_embedded_verifier_has_no_untrusted_language_and_lets_a_scratch_login_into_its_own_database_only() throws Exception {
        var scratch = EMBEDDED.create(ScratchServer.PREFIX + "lockdown" + UUID.randomUUID().toString().substring(0, 8));
        try {
            try (var connection = EMBEDDED.connect(scratch); var rows = connection.createStatement().executeQuery(
                    "SELECT lanname FROM pg_language WHERE NOT lanpltrusted AND lanname NOT IN ('c', 'internal')")) {
                assertThat(rows.next()).as("an untrusted language").isFalse();
            }
            var elsewhere = new DatabaseUrl(scratch.engine(), scratch.user(), scratch.password(), scratch.host(), scratch.port(),
                    "postgres", scratch.parameters());
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> EMBEDDED.connect(elsewhere).close()))
                    .hasMessageContaining("permission denied for database");
        } finally {
            EMBEDDED.drop(scratch.database());
        }
    }

    @Test
    void nobody_else_on_the_machine_gets_into_the_embedded_verifier_and_dblink_reaches_no_superuser() throws Exception {
        var scratch = EMBEDDED.create(ScratchServer.PREFIX + "dblink" + UUID.randomUUID().toString().substring(0, 8));
        try {
            var asNobody = io.autobus.support.OtherUser.run(List.of("psql", "-h", "127.0.0.1", "-p", Integer.toString(scratch.port()),
                    "-U", "postgres", "-w", "-d", scratch.database(), "-c", "SELECT 1"), java.util.Map.of());
            assertThat(asNobody.exit()).isNotZero();
            assertThat(asNobody.output()).contains("password");

            EMBEDDED.createExtensions(scratch.database(), List.of(new ArchiveExtensions.Extension("dblink", "public")));
            try (var connection = EMBEDDED.connect(scratch); var statement = connection.createStatement()) {
                var error = org.assertj.core.api.Assertions.catchThrowable(() -> statement.execute(
                        "SELECT public.dblink_connect('host=127.0.0.1 port=" + scratch.port() + " user=postgres dbname=postgres')"));
                var guess = org.assertj.core.api.Assertions.catchThrowable(() -> statement.execute("SELECT public.dblink_connect("
                        + "'host=127.0.0.1 port=" + scratch.port() + " user=postgres password=postgres dbname=postgres')"));
                assertThat(error).as("customer code calling dblink as the scratch login").hasMessageContaining("password")
                        .hasMessageContaining("required");
                assertThat(guess).hasMessageContaining("password authentication failed");
            }
        } finally {
            EMBEDDED.drop(scratch.database());
        }
    }

    @Test
    void a_mysql_event_restored_from_a_dump_runs_as_the_scratch_user_and_cannot_write_a_file() throws Exception {
        Path evidence = Path.of("/tmp/autobus-attack-" + UUID.randomUUID());
        String database = SourceDatabases.createMariadb("hostile");
        try (var connection = SourceDatabases.mariadb(database); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE ticks (id INT AUTO_INCREMENT PRIMARY KEY)");
            statement.execute("CREATE TABLE t (v INT)");
            statement.execute("INSERT INTO t VALUES (1)");
            statement.execute("CREATE PROCEDURE leak() BEGIN IF DATABASE() LIKE 'autobus\\_verify\\_%' THEN"
                    + " INSERT INTO ticks () VALUES (); SELECT 'leaked' INTO OUTFILE '" + evidence + "'; END IF; END");
            statement.execute("CREATE TRIGGER t_leak AFTER INSERT ON t FOR EACH ROW CALL leak()");
            statement.execute("CREATE EVENT leak_event ON SCHEDULE EVERY 1 SECOND DO CALL leak()");
        }
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "JAWSDB", "mysql://root@127.0.0.1:3306/" + database);
        Snapshot snapshot = harness.backup(addon, "JAWSDB_URL");
        String scratchDatabase = ScratchServer.PREFIX + snapshot.id();
        // The restore is held before its end until the restored event has run at least once.
        var stores = heldAtTheEnd(snapshot, 1, () -> {
            try (var connection = SourceDatabases.mariadb(scratchDatabase);
                 var rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM ticks")) {
                return rows.next() && rows.getLong(1) > 0;
            } catch (Exception e) {
                return false;
            }
        });
        boolean schedulerWasOn = eventScheduler(true);
        try {
            var verdict = verifier(localPostgres, stores).verify(snapshot.id()).orElseThrow();

            assertThat(evidence).as(verdict.detail()).doesNotExist();
            assertThat(verdict.outcome()).as(verdict.detail()).isIn(Verdict.Outcome.VERIFIED, Verdict.Outcome.FAILED);
            assertThat(localMariadb.scratchDatabases()).doesNotContain(scratchDatabase);
        } finally {
            eventScheduler(schedulerWasOn);
            try (var connection = SourceDatabases.mariadb(database); var statement = connection.createStatement()) {
                statement.execute("DROP EVENT IF EXISTS leak_event");
            }
        }
    }

    /**
     * The stores, with the snapshot's last bytes held back, the {@code nth} time it is read, until
     * {@code condition} holds (the restoring tool is still running then).
     */
    private SnapshotStores heldAtTheEnd(Snapshot snapshot, int nth, BooleanSupplier condition) {
        long holdAt = snapshot.sizeBytes() - 8;
        var opened = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.UnaryOperator<InputStream> hold = in -> opened.incrementAndGet() != nth ? in : new FilterInputStream(in) {
            private long position;

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (position >= holdAt) {
                    await().atMost(Duration.ofSeconds(60)).until(condition::getAsBoolean);
                } else {
                    length = (int) Math.min(length, holdAt - position);
                }
                int n = super.read(buffer, offset, length);
                position += Math.max(n, 0);
                return n;
            }
        };
        return SnapshotStores.crossContinental(InterceptedStore.onOpen(harness.us, hold), InterceptedStore.onOpen(harness.eu, hold));
    }

    private static boolean eventScheduler(boolean on) throws Exception {
        try (var connection = SourceDatabases.mariadb(""); var statement = connection.createStatement()) {
            boolean was;
            try (var rows = statement.executeQuery("SELECT @@GLOBAL.event_scheduler")) {
                rows.next();
                was = "ON".equalsIgnoreCase(rows.getString(1));
            }
            statement.execute("SET GLOBAL event_scheduler = " + (on ? "ON" : "OFF"));
            return was;
        }
    }

    private SnapshotVerifier verifier(PostgresScratch postgres, SnapshotStores stores) {
        var ds = new PGSimpleDataSource();
        ds.setUrl(harness.app.databaseUrl.replace("postgres://postgres@", "jdbc:postgresql://"));
        ds.setUser("postgres");
        var notifier = new Notifier(harness.app.db, harness.app.scheduler(), false, harness.app.clock);
        return new SnapshotVerifier(harness.snapshots, stores, postgres, Optional.of(localMariadb),
                Tools.installed(harness.toolRoot()), new DatabaseLocks(ds), notifier, harness.app.settings.jobLimits(), harness.app.clock);
    }
}
