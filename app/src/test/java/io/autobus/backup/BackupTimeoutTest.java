package io.autobus.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.autobus.config.Settings;
import io.autobus.jobs.BusyException;
import io.autobus.support.BackupHarness;
import io.autobus.support.SourceDatabases;
import io.autobus.support.TestDatabase;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;

/**
 * A backup is bounded: a dump that never ends is killed at AUTOBUS_BACKUP_TIMEOUT and the
 * snapshot failed for good, with nothing stored; one add-on runs only so many backups at once.
 */
class BackupTimeoutTest {
    private static final Settings.JobLimits THREE_SECONDS = new Settings.JobLimits(Duration.ofSeconds(3), Duration.ofHours(1), 1, 1);

    private final BackupHarness harness = new BackupHarness();

    @Test
    void a_pg_dump_stalled_behind_a_customer_s_lock_is_killed_at_the_time_limit_and_nothing_is_stored() throws Exception {
        String source = TestDatabase.create("stalled");
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", source);
        try (var customer = SourceDatabases.postgres(source); var statement = customer.createStatement()) {
            statement.execute("CREATE TABLE orders (id int PRIMARY KEY)");
            statement.execute("INSERT INTO orders SELECT generate_series(1, 100)");
            customer.setAutoCommit(false);
            statement.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE"); // a migration that never ends

            long started = System.nanoTime();
            Snapshot snapshot = harness.backup(addon, "DATABASE_URL", THREE_SECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertFailedForTimeAndNothingStored(snapshot, addon, "DATABASE_URL", "postgresql", took, source.substring(source.lastIndexOf('/') + 1));
        }
    }

    @Test
    void a_mariadb_dump_stalled_behind_a_customer_s_lock_is_killed_at_the_time_limit_and_nothing_is_stored() throws Exception {
        String database = SourceDatabases.createMariadb("stalled");
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "JAWSDB", "mysql://root@127.0.0.1:3306/" + database);
        try (var customer = SourceDatabases.mariadb(database); var statement = customer.createStatement()) {
            statement.execute("CREATE TABLE orders (id INT PRIMARY KEY) ENGINE=InnoDB");
            statement.execute("INSERT INTO orders VALUES (1), (2), (3)");
            statement.execute("LOCK TABLES orders WRITE");

            long started = System.nanoTime();
            Snapshot snapshot = harness.backup(addon, "JAWSDB_URL", THREE_SECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertFailedForTimeAndNothingStored(snapshot, addon, "JAWSDB_URL", "mysql", took, database);
            statement.execute("UNLOCK TABLES");
        }
    }

    @Test
    void a_run_that_timed_out_is_not_taken_again_when_jobrunr_repeats_its_job() throws Exception {
        String source = TestDatabase.create("stalled");
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", source);
        Snapshot timedOut;
        try (var customer = SourceDatabases.postgres(source); var statement = customer.createStatement()) {
            statement.execute("CREATE TABLE orders (id int PRIMARY KEY)");
            customer.setAutoCommit(false);
            statement.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE");
            timedOut = harness.backup(addon, "DATABASE_URL", THREE_SECONDS);
        }

        Snapshot again = harness.rerun(timedOut.id()); // the lock is gone: a new run would succeed

        assertThat(again.status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(again.error()).isEqualTo(timedOut.error());
    }

    @Test
    void an_addon_runs_one_backup_at_a_time_by_default_while_other_addons_go_on() {
        UUID busy = harness.provisionedAddon();
        harness.attach(busy, "DATABASE", TestDatabase.create("slots"));
        UUID other = harness.provisionedAddon();
        harness.attach(other, "DATABASE", TestDatabase.create("slots"));
        var locks = new DatabaseLocks(metadata());

        // Another database of the same add-on is being dumped, by any worker.
        try (var running = locks.tryLock(busy, "SECOND_URL", 1).orElseThrow()) {
            assertThatThrownBy(() -> harness.backup(busy, "DATABASE_URL", Settings.JobLimits.DEFAULT))
                    .isInstanceOf(BusyException.class).hasMessageContaining("DATABASE_URL");
            assertThat(harness.backup(other, "DATABASE_URL", Settings.JobLimits.DEFAULT).status())
                    .as("another add-on is not held up").isEqualTo(SnapshotStatus.COMPLETED);
            assertThat(harness.backup(busy, "DATABASE_URL", new Settings.JobLimits(Duration.ofHours(6), Duration.ofHours(12), 2, 1))
                    .status()).as("two slots: the second backup runs beside the first").isEqualTo(SnapshotStatus.COMPLETED);
        }
        assertThat(harness.backup(busy, "DATABASE_URL", Settings.JobLimits.DEFAULT).status())
                .as("the slot is free again").isEqualTo(SnapshotStatus.COMPLETED);
    }

    private javax.sql.DataSource metadata() {
        var ds = new org.postgresql.ds.PGSimpleDataSource();
        ds.setUrl(harness.app.databaseUrl.replace("postgres://postgres@", "jdbc:postgresql://"));
        ds.setUser("postgres");
        return ds;
    }

    /** @param database the source's name: dumps of other databases (the shared app's own jobs) may run meanwhile */
    private void assertFailedForTimeAndNothingStored(Snapshot snapshot, UUID addon, String configVar, String engine, Duration took,
                                                     String database) throws Exception {
        assertThat(snapshot.status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(snapshot.error()).startsWith("timed out after 3 s (AUTOBUS_BACKUP_TIMEOUT)");
        assertThat(snapshot.storageKey()).isNull();
        // 3 s, plus the dumper's start and the kill: far from the lock's "forever".
        assertThat(took).isLessThan(Duration.ofSeconds(20));
        String key = SnapshotKeys.objectKey(addon, configVar, snapshot.id(), engine);
        assertThat(harness.eu.exists(key)).isFalse();
        assertThat(harness.s3.client().listMultipartUploads(ListMultipartUploadsRequest.builder().bucket(harness.bucketEu).build())
                .uploads()).noneMatch(upload -> upload.key().equals(key));
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(args -> String.join(" ", args).contains(database)).orElse(true))
                .map(p -> p.info().command().orElse("")))
                .as("no dump tool of this backup left running").noneMatch(command -> command.matches(".*/(pg_dump|mariadb-dump|mysqldump)"));
        assertThat(BackupProgressTest.reporting(snapshot.id())).as("no progress reporter left running").isFalse();
        assertThat(snapshot.progress()).isNull();
    }
}
