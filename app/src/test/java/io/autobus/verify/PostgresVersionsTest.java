package io.autobus.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.autobus.api.ApiTokens;
import io.autobus.backup.DatabaseLocks;
import io.autobus.backup.Snapshot;
import io.autobus.backup.SnapshotStatus;
import io.autobus.db.PostgresBinaries;
import io.autobus.dump.Tools;
import io.autobus.notify.Notifier;
import io.autobus.support.BackupHarness;
import io.autobus.support.SourceDatabases;
import io.autobus.support.TestApp;
import io.autobus.support.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Sources of several PostgreSQL majors, real pg_dump and pg_restore (this machine has only the 15
 * client tools), verified on embedded servers of the snapshot's own major. The verifiers (one per
 * major) are shared by every test, as a worker shares them; source servers of other majors are
 * zonky's EmbeddedPostgres started from the binaries the build ships for that major.
 */
class PostgresVersionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PostgresScratchServers VERIFIERS = new PostgresScratchServers(Optional.empty(), Map.of(),
            TestApp.shared().settings.home().resolve("verify"), Clock.systemUTC());

    private final BackupHarness harness = new BackupHarness();
    private final Notifier notifier = new Notifier(harness.app.db, harness.app.scheduler(), false,
            harness.app.clock);

    @AfterAll
    static void stopVerifiers() {
        VERIFIERS.close();
    }

    @Test
    void a_postgres_15_source_is_dumped_by_pg_dump_15_and_verified_on_an_embedded_15_and_the_api_says_so() throws Exception {
        assumeOnlyClient(15);
        String source = TestDatabase.create("pg15");
        fill(source);
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", source);

        Snapshot snapshot = harness.backup(addon, "DATABASE_URL");
        var verdict = verifier().verify(snapshot.id()).orElseThrow();

        assertThat(verdict.outcome()).as(verdict.detail()).isEqualTo(Verdict.Outcome.VERIFIED);
        Snapshot recorded = harness.snapshots.find(snapshot.id()).orElseThrow();
        assertThat(recorded.serverVersion()).startsWith("15.");
        assertThat(recorded.dumpTool()).matches("pg_dump 15\\.\\d+");
        assertThat(recorded.dumpToolNote()).isNull();
        assertThat(recorded.archiveVersion()).isEqualTo("1.14");
        assertThat(recorded.restoreWith()).isEqualTo("pg_restore 15 or newer");
        assertThat(recorded.verificationServerVersion()).as("an embedded 15, not this machine's server").startsWith("15.")
                .isNotEqualTo(recorded.serverVersion().split(" ")[0]);

        String token = new ApiTokens(harness.app.db).enable(addon, true).orElseThrow();
        // The list (the shared app's stores are not the harness's S3 buckets, so no download URL is asked for).
        JsonNode json = JSON.readTree(harness.app.http.send("GET", "/api/snapshots?token=" + token, null, Map.of()).body()).get(0);
        assertThat(json.path("id").asText()).isEqualTo(snapshot.id());
        assertThat(json.path("server_version").asText()).startsWith("15.");
        assertThat(json.path("dump_tool").asText()).matches("pg_dump 15\\.\\d+");
        assertThat(json.path("archive_version").asText()).isEqualTo("1.14");
        assertThat(json.path("restore_with").asText()).isEqualTo("pg_restore 15 or newer");
        assertThat(json.path("verification").path("status").asText()).isEqualTo("verified");
        assertThat(json.path("verification").path("detail").asText()).contains("every row count matches");
        assertThat(json.path("verification").path("server_version").asText()).startsWith("15.");
        assertThat(json.path("verification").path("duration_ms").isNumber()).as("measured (the harness clock is fixed)").isTrue();
    }

    @Test
    void a_postgres_14_source_is_dumped_by_the_nearest_newer_pg_dump_saying_why_and_verified_on_an_embedded_14() throws Exception {
        assumeOnlyClient(15);
        try (var server14 = EmbeddedPostgres.builder().setPgBinaryResolver((system, machine) -> PostgresBinaries.open(14)).start()) {
            String source = "postgres://postgres@127.0.0.1:" + server14.getPort() + "/postgres";
            fill(source);
            UUID addon = harness.provisionedAddon();
            harness.attach(addon, "DATABASE", source);

            Snapshot snapshot = harness.backup(addon, "DATABASE_URL");
            var verdict = verifier().verify(snapshot.id()).orElseThrow();

            assertThat(snapshot.status()).as(String.valueOf(snapshot.error())).isEqualTo(SnapshotStatus.COMPLETED);
            assertThat(verdict.outcome()).as(verdict.detail()).isEqualTo(Verdict.Outcome.VERIFIED);
            Snapshot recorded = harness.snapshots.find(snapshot.id()).orElseThrow();
            assertThat(recorded.serverVersion()).startsWith("14.");
            assertThat(recorded.dumpTool()).matches("pg_dump 15\\.\\d+");
            assertThat(recorded.dumpToolNote()).contains("pg_dump 14 is not installed").contains("nearest newer");
            assertThat(recorded.archiveVersion()).isEqualTo("1.14");
            assertThat(recorded.restoreWith()).isEqualTo("pg_restore 15 or newer");
            assertThat(recorded.verificationServerVersion()).startsWith("14.");
        }
    }

    @Test
    void a_postgres_17_source_fails_at_once_naming_postgresql_client_17() throws Exception {
        assertNewerThanEveryPgDumpFailsAtOnce(17);
    }

    @Test
    void a_postgres_18_source_fails_at_once_naming_postgresql_client_18() throws Exception {
        assertNewerThanEveryPgDumpFailsAtOnce(18);
    }

    @Test
    void an_idle_embedded_verifier_is_stopped_and_the_next_verification_starts_it_again() throws Exception {
        var clock = new io.autobus.support.TestClock();
        try (var verifiers = new PostgresScratchServers(Optional.empty(), Map.of(), harness.app.settings.home().resolve("verify"), clock)) {
            PostgresScratch server = verifiers.acquire(16).orElseThrow();
            assertThat(server.majorVersion()).isEqualTo(16);
            assertThat(verifiers.stopIdle(clock.instant().plus(PostgresScratchServers.IDLE))).as("held: never stopped").isZero();
            verifiers.release(server);

            assertThat(verifiers.stopIdle(clock.instant().plus(PostgresScratchServers.IDLE).minusSeconds(1))).isZero();
            assertThat(server.running()).isTrue();
            assertThat(verifiers.stopIdle(clock.instant().plus(PostgresScratchServers.IDLE))).isEqualTo(1);
            assertThat(server.running()).isFalse();

            PostgresScratch again = verifiers.acquire(16).orElseThrow();
            assertThat(again).isSameAs(server);
            assertThat(again.majorVersion()).as("started again on use").isEqualTo(16);
            verifiers.release(again);
        }
    }

    private void assertNewerThanEveryPgDumpFailsAtOnce(int major) throws Exception {
        Assumptions.assumeFalse(Files.exists(Path.of("/usr/lib/postgresql/" + major + "/bin/pg_dump")),
                "pg_dump " + major + " is installed here");
        try (var server = EmbeddedPostgres.builder().setPgBinaryResolver((system, machine) -> PostgresBinaries.open(major)).start()) {
            UUID addon = harness.provisionedAddon();
            harness.attachedEarlier(addon, "DATABASE", "postgres://postgres@127.0.0.1:" + server.getPort() + "/postgres");

            long started = System.nanoTime();
            Snapshot snapshot = harness.backup(addon, "DATABASE_URL");

            assertThat(snapshot.status()).isEqualTo(SnapshotStatus.FAILED);
            assertThat(snapshot.error()).contains("PostgreSQL " + major).contains("Install postgresql-client-" + major);
            assertThat(snapshot.storageKey()).isNull();
            assertThat(System.nanoTime() - started).as("at once").isLessThan(java.util.concurrent.TimeUnit.SECONDS.toNanos(10));
        }
    }

    /** A table of 25 rows, and one with a check constraint (restored as the scratch login). */
    private static void fill(String url) throws Exception {
        var parsed = io.autobus.dump.DatabaseUrl.parse(url);
        try (var connection = DriverManager.getConnection(parsed.postgresJdbcUrl(), parsed.user(), parsed.password());
             var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL CHECK (name <> ''))");
            statement.execute("INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 25) g");
        }
    }

    /** This machine's client tools: the tests spell out what each major is dumped with. */
    private static void assumeOnlyClient(int major) {
        var installed = Tools.installed(TestApp.shared().settings.home().resolve("tmp")).byMajor("pg_dump").keySet();
        Assumptions.assumeTrue(installed.equals(java.util.Set.of(major)), "expects only pg_dump " + major + ", found " + installed);
    }

    private SnapshotVerifier verifier() {
        return new SnapshotVerifier(harness.snapshots, harness.stores, VERIFIERS, Optional.empty(), Tools.installed(harness.toolRoot()),
                locks(), notifier, harness.app.settings.jobLimits(), harness.app.clock);
    }

    private DatabaseLocks locks() {
        var ds = new PGSimpleDataSource();
        ds.setUrl(harness.app.databaseUrl.replace("postgres://postgres@", "jdbc:postgresql://"));
        ds.setUser("postgres");
        return new DatabaseLocks(ds);
    }
}
