package io.autobus.verify;

import static io.autobus.db.generated.Tables.NOTIFICATION;
import static io.autobus.db.generated.Tables.SNAPSHOT_TABLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.backup.DatabaseLocks;
import io.autobus.backup.Snapshot;
import io.autobus.dump.DatabaseUrl;
import io.autobus.dump.Tools;
import io.autobus.notify.Notifier;
import io.autobus.storage.SnapshotStores;
import io.autobus.support.BackupHarness;
import io.autobus.support.InterceptedStore;
import io.autobus.support.OpenStreams;
import io.autobus.support.SourceDatabases;
import io.autobus.support.TestApp;
import io.autobus.support.TestDatabase;
import io.autobus.support.UnstartableClient;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Real restores of real snapshots (S3Proxy) into scratch databases on this machine's PostgreSQL
 * and MariaDB, and on an embedded PostgreSQL 17.
 */
class VerificationTest {
    private static final PostgresScratch EMBEDDED_17 = new PostgresScratch(Optional.empty(), TestApp.shared().settings.home().resolve("verify"));

    private final BackupHarness harness = new BackupHarness();
    private final PostgresScratch localPostgres = new PostgresScratch(Optional.of("postgres://postgres@127.0.0.1:5432/postgres"), harness.app.settings.home().resolve("verify"));
    private final MysqlScratch localMariadb = new MysqlScratch(DatabaseUrl.parse("mysql://root@127.0.0.1:3306/mysql"));
    private final Notifier notifier = new Notifier(harness.app.db, harness.app.scheduler(), false,
            harness.app.clock);

    @AfterAll
    static void stopEmbedded() throws Exception {
        EMBEDDED_17.close();
    }

    @Test
    void a_good_postgres_snapshot_is_verified_and_its_scratch_database_is_gone() throws Exception {
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", io.autobus.backup.PostgresBackupTest.sourceDatabase());
        Snapshot snapshot = harness.backup(addon, "DATABASE_URL");

        var verdict = verifier(localPostgres).verify(snapshot.id()).orElseThrow();

        assertThat(verdict.outcome()).as(verdict.detail()).isEqualTo(Verdict.Outcome.VERIFIED);
        Snapshot recorded = harness.snapshots.find(snapshot.id()).orElseThrow();
        assertThat(recorded.verification()).isEqualTo("verified");
        assertThat(recorded.verificationDetail()).contains("every row count matches");
        assertThat(recorded.verificationMs()).isNotNull();
        assertThat(localPostgres.scratchDatabases()).doesNotContain(ScratchServer.PREFIX + snapshot.id());
        assertThat(notifications(addon)).isZero();
    }

    @Test
    void a_snapshot_encrypted_to_the_customer_s_key_is_unverifiable_because_only_their_key_opens_it() throws Exception {
        var identity = io.autobus.support.AgeIdentity.generate(harness.toolRoot());
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", io.autobus.backup.PostgresBackupTest.sourceDatabase());
        harness.addons.setEncryptionRecipient(addon, identity.recipient().text());
        Snapshot snapshot = harness.backup(addon, "DATABASE_URL");

        // Taken without a verification in flight (BackupHarness runs none): the stored copy is all there is.
        var verdict = verifier(localPostgres).verify(snapshot.id()).orElseThrow();
        var again = verifier(localPostgres).verify(snapshot.id());

        assertThat(verdict.outcome()).isEqualTo(Verdict.Outcome.UNVERIFIABLE);
        assertThat(verdict.detail()).isEqualTo("encrypted with your key: Autobus cannot open the stored copy to restore it"
                + " (such snapshots are verified while they are stored, before encryption)");
        assertThat(again).as("verify again leaves the verdict as it is").isEmpty();
        Snapshot recorded = harness.snapshots.find(snapshot.id()).orElseThrow();
        assertThat(recorded.verification()).isEqualTo("unverifiable");
        assertThat(recorded.verificationDetail()).isEqualTo(verdict.detail());
        assertThat(recorded.verificationServerVersion()).as("no scratch database was made").isNull();
        assertThat(notifications(addon)).as("what the customer chose is no problem to tell them about").isZero();
        java.nio.file.Files.deleteIfExists(identity.file());
    }

    @Test
    void a_restore_that_fails_on_a_database_whose_options_leave_out_referenced_rows_points_at_the_option() throws Exception {
        String source = TestDatabase.create("left_out");
        try (var connection = SourceDatabases.postgres(source); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE customers (id int PRIMARY KEY)");
            statement.execute("CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers)");
            statement.execute("INSERT INTO customers VALUES (1)");
            statement.execute("INSERT INTO orders VALUES (1, 1)");
        }
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", source);
        // As saved before options were checked, or while the database could not be reached.
        harness.addons.setDumpOptions(addon, "DATABASE_URL", io.autobus.dump.DumpOptions.fromJson("{\"exclude_table_data\": [\"customers\"]}").toJson());
        Snapshot snapshot = harness.backup(addon, "DATABASE_URL");

        var verdict = verifier(localPostgres).verify(snapshot.id()).orElseThrow();

        assertThat(verdict.outcome()).as(verdict.detail()).isEqualTo(Verdict.Outcome.FAILED);
        assertThat(verdict.detail()).contains("orders_customer_id_fkey")
                .contains("dump options leave out the data of customers (exclude_table_data)").contains("drop the option");
        assertThat(harness.app.db.select(NOTIFICATION.BODY).from(NOTIFICATION).where(NOTIFICATION.ADDON_ID.eq(addon)).fetch(r -> r.value1()))
                .anySatisfy(body -> assertThat(body).contains("exclude_table_data"));
    }

    @Test
    void a_truncated_or_altered_stored_object_fails_with_one_notification_and_leaves_no_scratch_database() throws Exception {
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", io.autobus.backup.PostgresBackupTest.sourceDatabase());
        Snapshot truncated = harness.backup(addon, "DATABASE_URL");
        harness.app.clock.advance(java.time.Duration.ofMinutes(1));
        Snapshot altered = harness.backup(addon, "DATABASE_URL");
        byte[] bytes = harness.eu.open(truncated.storageKey()).readAllBytes();
        harness.eu.put(truncated.storageKey(), new ByteArrayInputStream(Arrays.copyOf(bytes, bytes.length / 2)));
        byte[] other = harness.eu.open(altered.storageKey()).readAllBytes();
        other[other.length / 2] ^= 0x5a;
        harness.eu.put(altered.storageKey(), new ByteArrayInputStream(other));

        var first = verifier(localPostgres).verify(truncated.id()).orElseThrow();
        var second = verifier(localPostgres).verify(altered.id()).orElseThrow();

        assertThat(first.outcome()).isEqualTo(Verdict.Outcome.FAILED);
        assertThat(first.detail()).contains("not what was dumped");
        assertThat(second.outcome()).isEqualTo(Verdict.Outcome.FAILED);
        assertThat(notifications(addon)).as("the same problem is told once").isEqualTo(1);
        assertThat(localPostgres.scratchDatabases()).doesNotContain(ScratchServer.PREFIX + truncated.id(), ScratchServer.PREFIX + altered.id());
    }

    @Test
    void a_restore_whose_row_counts_differ_from_the_dump_fails_naming_the_table() throws Exception {
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", io.autobus.backup.PostgresBackupTest.sourceDatabase());
        Snapshot snapshot = harness.backup(addon, "DATABASE_URL");
        harness.app.db.update(SNAPSHOT_TABLE).set(SNAPSHOT_TABLE.ROW_COUNT, 501L)
                .where(SNAPSHOT_TABLE.SNAPSHOT_ID.eq(snapshot.id()), SNAPSHOT_TABLE.TABLE_NAME.eq("public.people")).execute();

        var verdict = verifier(localPostgres).verify(snapshot.id()).orElseThrow();

        assertThat(verdict.outcome()).isEqualTo(Verdict.Outcome.FAILED);
        assertThat(verdict.detail()).contains("public.people: 500 rows restored, 501 at dump time");
        assertThat(notifications(addon)).isEqualTo(1);
    }

    @Test
    void a_dump_needing_an_extension_verification_does_not_create_is_unverifiable_and_the_owner_is_told_why() throws Exception {
        String source = TestDatabase.create("extension");
        try (var connection = SourceDatabases.postgres(source); var statement = connection.createStatement()) {
            // old_snapshot ships with PostgreSQL 15 and was removed in 17.
            statement.execute("CREATE EXTENSION old_snapshot");
            statement.execute("CREATE TABLE t (id int PRIMARY KEY)");
        }
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", source);
        Snapshot snapshot = harness.backup(addon, "DATABASE_URL");

        var verdict = verifier(EMBEDDED_17).verify(snapshot.id()).orElseThrow();

        assertThat(verdict.outcome()).as(verdict.detail()).isEqualTo(Verdict.Outcome.UNVERIFIABLE);
        assertThat(verdict.detail()).startsWith("the snapshot needs extension old_snapshot, which verification does not create");
        assertThat(EMBEDDED_17.scratchDatabases()).isEmpty();
        verifier(EMBEDDED_17).verify(snapshot.id());
        assertThat(harness.app.db.select(NOTIFICATION.SUBJECT, NOTIFICATION.BODY).from(NOTIFICATION)
                .where(NOTIFICATION.ADDON_ID.eq(addon)).fetch())
                .as("told once, with the reason, however often it is verified again").singleElement()
                .satisfies(row -> {
                    assertThat(row.value1()).isEqualTo("Snapshot " + snapshot.id() + " of DATABASE_URL could not be verified");
                    assertThat(row.value2()).contains("extension old_snapshot");
                });
    }

    @Test
    void dumps_with_common_extensions_in_heroku_ext_verify_on_a_newer_server() throws Exception {
        String source = TestDatabase.create("heroku_ext");
        try (var connection = SourceDatabases.postgres(source); var statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA heroku_ext");
            for (String extension : List.of("pg_trgm", "hstore", "citext", "\"uuid-ossp\"", "pgcrypto")) {
                statement.execute("CREATE EXTENSION " + extension + " WITH SCHEMA heroku_ext");
            }
            statement.execute("SET search_path = public, heroku_ext");
            statement.execute("""
                    CREATE TABLE accounts (id uuid PRIMARY KEY DEFAULT heroku_ext.uuid_generate_v4(), email heroku_ext.citext UNIQUE,
                      attrs heroku_ext.hstore, secret bytea DEFAULT heroku_ext.gen_random_bytes(16))""");
            statement.execute("CREATE INDEX accounts_email_trgm ON accounts USING gin (email heroku_ext.gin_trgm_ops)");
            statement.execute("INSERT INTO accounts (email, attrs) SELECT 'User' || i || '@Example.com', 'a=>1' FROM generate_series(1, 77) i");
        }
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", source);
        Snapshot snapshot = harness.backup(addon, "DATABASE_URL");

        var verdict = verifier(EMBEDDED_17).verify(snapshot.id()).orElseThrow();

        assertThat(verdict.outcome()).as(verdict.detail()).isEqualTo(Verdict.Outcome.VERIFIED);
        assertThat(EMBEDDED_17.majorVersion()).isGreaterThan(15);
    }

    @Test
    void a_mariadb_snapshot_is_verified_and_a_count_mismatch_fails() throws Exception {
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "JAWSDB_MARIA", "mysql://root@127.0.0.1:3306/" + io.autobus.backup.MysqlBackupTest.sourceDatabase());
        Snapshot good = harness.backup(addon, "JAWSDB_MARIA_URL");
        harness.app.clock.advance(java.time.Duration.ofMinutes(1));
        Snapshot bad = harness.backup(addon, "JAWSDB_MARIA_URL");
        harness.app.db.update(SNAPSHOT_TABLE).set(SNAPSHOT_TABLE.ROW_COUNT, 9L)
                .where(SNAPSHOT_TABLE.SNAPSHOT_ID.eq(bad.id()), SNAPSHOT_TABLE.TABLE_NAME.eq("notes")).execute();

        var verified = verifier(localPostgres).verify(good.id()).orElseThrow();
        var failed = verifier(localPostgres).verify(bad.id()).orElseThrow();

        assertThat(verified.outcome()).as(verified.detail()).isEqualTo(Verdict.Outcome.VERIFIED);
        assertThat(failed.outcome()).isEqualTo(Verdict.Outcome.FAILED);
        assertThat(failed.detail()).contains("notes: 4 rows restored, 9 at dump time");
        assertThat(localMariadb.scratchDatabases()).doesNotContain(ScratchServer.PREFIX + good.id(), ScratchServer.PREFIX + bad.id());
    }

    @Test
    void a_restore_that_mysql_refuses_fails_with_mysql_s_own_words_not_as_a_damaged_file() throws Exception {
        String[] databases = SourceDatabases.mariadbWithViewOfAnotherDatabase();
        String source = databases[0];
        String other = databases[1];
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "JAWSDB", "mysql://root@127.0.0.1:3306/" + source);
        Snapshot snapshot = harness.backup(addon, "JAWSDB_URL");

        var verdict = verifier(localPostgres).verify(snapshot.id()).orElseThrow();

        assertThat(verdict.outcome()).isEqualTo(Verdict.Outcome.FAILED);
        assertThat(verdict.detail()).startsWith("the restore failed: mariadb failed (exit 1):")
                .containsPattern("ERROR \\d+ \\(\\w+\\) at line \\d+").contains(other).doesNotContain("not what was dumped");
    }

    @Test
    void a_verification_whose_restore_client_cannot_start_is_unverifiable_and_downloads_nothing(@TempDir Path clients) throws Exception {
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "JAWSDB", "mysql://root@127.0.0.1:3306/" + io.autobus.backup.MysqlBackupTest.sourceDatabase());
        Snapshot snapshot = harness.backup(addon, "JAWSDB_URL");
        UnstartableClient.in(clients);
        var downloads = new OpenStreams();
        var counted = SnapshotStores.crossContinental(InterceptedStore.onOpen(harness.us, downloads),
                InterceptedStore.onOpen(harness.eu, downloads));
        var verifier = new SnapshotVerifier(harness.snapshots, counted, localPostgres, Optional.of(localMariadb),
                Tools.in(List.of(clients), harness.toolRoot()), locks(), notifier, harness.app.settings.jobLimits(), harness.app.clock);

        var verdict = verifier.verify(snapshot.id()).orElseThrow();

        assertThat(verdict.outcome()).isEqualTo(Verdict.Outcome.UNVERIFIABLE);
        assertThat(verdict.detail()).contains("could not start").contains("mariadb");
        assertThat(downloads.opened()).as("the stored object is downloaded once the client runs, not before").isZero();
        assertThat(localMariadb.scratchDatabases()).doesNotContain(ScratchServer.PREFIX + snapshot.id());
    }

    @Test
    void a_snapshot_whose_stored_file_is_gone_fails_saying_so() throws Exception {
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", io.autobus.backup.PostgresBackupTest.sourceDatabase());
        Snapshot snapshot = harness.backup(addon, "DATABASE_URL");
        harness.stores.byRegion(snapshot.storageRegion()).delete(snapshot.storageKey());

        var verdict = verifier(localPostgres).verify(snapshot.id()).orElseThrow();

        assertThat(verdict.outcome()).isEqualTo(Verdict.Outcome.FAILED);
        assertThat(verdict.detail()).isEqualTo("the stored file " + snapshot.storageKey() + " is missing from the "
                + snapshot.storageRegion() + " store: it was deleted or never arrived, so this snapshot cannot be restored");
    }

    @Test
    void an_unreachable_verification_server_leaves_the_snapshot_completed_and_unverified_for_a_retry() throws Exception {
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", io.autobus.backup.PostgresBackupTest.sourceDatabase());
        Snapshot snapshot = harness.backup(addon, "DATABASE_URL");
        var down = new PostgresScratch(Optional.of("postgres://postgres@127.0.0.1:1/postgres"), harness.app.settings.home().resolve("verify"));

        var thrown = org.assertj.core.api.Assertions.catchThrowable(() -> verifier(down).verify(snapshot.id()));

        assertThat(thrown).isInstanceOf(SnapshotVerifier.VerifierUnavailableException.class);
        Snapshot after = harness.snapshots.find(snapshot.id()).orElseThrow();
        assertThat(after.status()).isEqualTo(io.autobus.backup.SnapshotStatus.COMPLETED);
        assertThat(after.verification()).as("not verified yet, not failed").isNull();
        assertThat(notifications(addon)).isZero();
        assertThat(verifier(localPostgres).verify(snapshot.id()).orElseThrow().outcome())
                .as("the retry, once the server is back").isEqualTo(Verdict.Outcome.VERIFIED);
    }

    @Test
    void scratch_databases_left_by_a_stopped_worker_are_dropped_at_start_and_those_a_running_verification_holds_are_kept()
            throws Exception {
        String leftover = ScratchServer.PREFIX + "0123456789abcdef01234567";
        String running = ScratchServer.PREFIX + "76543210fedcba9876543210";
        for (ScratchServer server : List.<ScratchServer>of(localPostgres, localMariadb)) {
            server.create(leftover);
            server.create(running);
            assertThat(server.scratchDatabases()).contains(leftover, running);
        }
        var settings = io.autobus.config.Settings.fromEnvironment(java.util.Map.of(
                "AUTOBUS_HOME", java.nio.file.Files.createTempDirectory("verify").toString(),
                "VERIFY_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres",
                "VERIFY_MYSQL_URL", "mysql://root@127.0.0.1:3306/mysql"));

        int dropped;
        try (var verifying = locks().tryLock("verify:" + running.substring(ScratchServer.PREFIX.length())).orElseThrow();
             var verification = new WorkerVerification(settings, harness, locks(), notifier, harness.app.scheduler())) {
            dropped = verification.cleanUpLeftovers();
        }

        for (ScratchServer server : List.<ScratchServer>of(localPostgres, localMariadb)) {
            assertThat(server.scratchDatabases()).as("left over: dropped").doesNotContain(leftover)
                    .as("its verification still runs: kept").contains(running);
            server.drop(running);
        }
        assertThat(dropped).as("the leftover on each server, and whatever else was left unheld").isGreaterThanOrEqualTo(2);
    }

    @Test
    void a_failed_backup_tells_the_owner_once_and_the_next_good_one_says_it_is_over() throws Exception {
        UUID addon = harness.provisionedAddon();
        String source = TestDatabase.create("flaky");
        harness.attachedEarlier(addon, "DATABASE", "postgres://postgres@127.0.0.1:1/unreachable");
        var settings = io.autobus.config.Settings.fromEnvironment(java.util.Map.of(
                "AUTOBUS_HOME", java.nio.file.Files.createTempDirectory("verify").toString(),
                "VERIFY_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"));
        try (var verification = new WorkerVerification(settings, harness, locks(), notifier, harness.app.scheduler())) {
            harness.backup(addon, "DATABASE_URL", store -> store, new io.autobus.backup.BackupNotices(verification.outcomes(), notifier));
            harness.app.clock.advance(java.time.Duration.ofDays(1));
            harness.backup(addon, "DATABASE_URL", store -> store, new io.autobus.backup.BackupNotices(verification.outcomes(), notifier));
            harness.reattach(addon, "DATABASE", source);
            harness.app.clock.advance(java.time.Duration.ofDays(1));
            Snapshot good = harness.backup(addon, "DATABASE_URL", store -> store, new io.autobus.backup.BackupNotices(verification.outcomes(), notifier));

            assertThat(good.status()).isEqualTo(io.autobus.backup.SnapshotStatus.COMPLETED);
        }
        assertThat(harness.app.db.select(NOTIFICATION.SUBJECT).from(NOTIFICATION).where(NOTIFICATION.ADDON_ID.eq(addon))
                .orderBy(NOTIFICATION.CREATED_AT).fetch(NOTIFICATION.SUBJECT))
                .containsExactly("Backup of DATABASE_URL failed", "Back to normal: Backups of DATABASE_URL work again");
        assertThat(harness.app.db.select(NOTIFICATION.BODY).from(NOTIFICATION).where(NOTIFICATION.ADDON_ID.eq(addon))
                .orderBy(NOTIFICATION.CREATED_AT).limit(1).fetchOne(NOTIFICATION.BODY)).contains("could not connect");
    }

    @Test
    void a_restore_that_never_ends_is_stopped_at_the_verification_limit_and_the_snapshot_fails_saying_so() throws Exception {
        String source = SourceDatabases.checkedDuringVerification("endless", "PERFORM pg_sleep(600)");
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", source);
        Snapshot snapshot = harness.backup(addon, "DATABASE_URL");
        var limits = new io.autobus.config.Settings.JobLimits(java.time.Duration.ofHours(1), java.time.Duration.ofSeconds(3), 1, 1);
        var verifier = new SnapshotVerifier(harness.snapshots, harness.stores, localPostgres, Optional.of(localMariadb),
                Tools.installed(harness.toolRoot()), locks(), notifier, limits, harness.app.clock);
        long started = System.nanoTime();

        var verdict = verifier.verify(snapshot.id()).orElseThrow();

        assertThat(verdict.outcome()).isEqualTo(Verdict.Outcome.FAILED);
        assertThat(verdict.detail()).isEqualTo("the restore timed out after 3 s (AUTOBUS_VERIFY_TIMEOUT) and was stopped");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(60));
        // This snapshot's pg_restore only (its --dbname names the scratch database): other tests' apps
        // verify in the background of the same JVM.
        assertThat(ProcessHandle.current().descendants().map(p -> p.info().commandLine().orElse(""))
                .filter(command -> command.contains("/pg_restore ") && command.contains(ScratchServer.PREFIX + snapshot.id())))
                .as("the restore was killed").isEmpty();
        assertThat(localPostgres.scratchDatabases()).doesNotContain(ScratchServer.PREFIX + snapshot.id());
    }

    @Test
    void asking_again_and_again_to_verify_queues_one_verification_until_it_has_run() throws Exception {
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", io.autobus.backup.PostgresBackupTest.sourceDatabase());
        Snapshot snapshot = harness.backup(addon, "DATABASE_URL");
        var settings = io.autobus.config.Settings.fromEnvironment(java.util.Map.of(
                "AUTOBUS_HOME", java.nio.file.Files.createTempDirectory("verify").toString(),
                "VERIFY_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"));
        var storage = harness.app.jobStorage();
        var queued = new java.util.LinkedHashSet<UUID>();
        var scheduler = new JobRequestScheduler(storage) {
            @Override
            public org.jobrunr.jobs.JobId enqueue(UUID id, org.jobrunr.jobs.lambdas.JobRequest request) {
                queued.add(id);
                return super.enqueue(id, request);
            }
        };
        try (var verification = new WorkerVerification(settings, harness, locks(), notifier, scheduler)) {
            for (int i = 0; i < 5; i++) {
                verification.enqueue(snapshot.id(), true);
            }
            assertThat(queued).as("five requests, one job").hasSize(1);
            assertThat(storage.getJobById(queued.iterator().next())).isNotNull();

            verification.verifier().verify(snapshot.id());
            verification.enqueue(snapshot.id(), true);
            assertThat(queued).as("once it has run, it may be asked for again").hasSize(2);
        }
    }

    private SnapshotVerifier verifier(PostgresScratch postgres) {
        return new SnapshotVerifier(harness.snapshots, harness.stores, postgres, Optional.of(localMariadb), Tools.installed(harness.toolRoot()),
                locks(), notifier, harness.app.settings.jobLimits(), harness.app.clock);
    }

    private DatabaseLocks locks() {
        var ds = new PGSimpleDataSource();
        ds.setUrl(harness.app.databaseUrl.replace("postgres://postgres@", "jdbc:postgresql://"));
        ds.setUser("postgres");
        return new DatabaseLocks(ds);
    }

    private int notifications(UUID addon) {
        return harness.app.db.fetchCount(NOTIFICATION, NOTIFICATION.ADDON_ID.eq(addon));
    }
}
