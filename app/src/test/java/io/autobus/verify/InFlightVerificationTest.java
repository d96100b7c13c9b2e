package io.autobus.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.backup.DatabaseLocks;
import io.autobus.backup.Snapshot;
import io.autobus.backup.SnapshotStatus;
import io.autobus.notify.Notifier;
import io.autobus.support.BackupHarness;
import io.autobus.support.SourceDatabases;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jobrunr.jobs.JobId;
import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Verification in flight ({@code AUTOBUS_VERIFY_IN_FLIGHT}): the verdict is recorded by the time
 * the snapshot is stored, equal to what a check after upload finds; an unrestorable snapshot fails
 * in flight and is still stored; a restore that cannot keep up gives up in flight, and the snapshot
 * is checked after upload, saying why.
 */
class InFlightVerificationTest {
    private final BackupHarness harness = new BackupHarness();
    private final List<JobRequest> queued = new ArrayList<>();

    @Test
    void postgres_and_mariadb_snapshots_are_verified_when_stored_with_the_verdict_a_check_after_upload_gives() throws Exception {
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", io.autobus.backup.PostgresBackupTest.sourceDatabase());
        harness.attach(addon, "JAWSDB_MARIA", "mysql://root@127.0.0.1:3306/" + io.autobus.backup.MysqlBackupTest.sourceDatabase());
        try (var verification = verification("on")) {
            for (String database : List.of("DATABASE_URL", "JAWSDB_MARIA_URL")) {
                Snapshot snapshot = harness.backup(addon, database, store -> store, verification.outcomes());
                Snapshot inFlight = harness.snapshots.find(snapshot.id()).orElseThrow();

                assertThat(inFlight.status()).isEqualTo(SnapshotStatus.COMPLETED);
                assertThat(inFlight.verification()).as(database + ": " + inFlight.verificationDetail()).isEqualTo("verified");
                assertThat(inFlight.verificationDetail()).contains("every row count matches the dump");
                assertThat(queued).as("nothing left to verify after upload").isEmpty();

                var afterUpload = verification.verifier().verify(snapshot.id()).orElseThrow();
                assertThat(afterUpload.outcome().dbValue()).isEqualTo(inFlight.verification());
                assertThat(afterUpload.detail()).isEqualTo(inFlight.verificationDetail());
            }
        }
    }

    @Test
    void the_database_is_free_for_its_next_dump_while_the_stored_snapshot_s_verdict_is_still_being_read() throws Exception {
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", io.autobus.backup.PostgresBackupTest.sourceDatabase());
        var freeWhileVerdictRead = new java.util.concurrent.atomic.AtomicBoolean();
        try (var verification = verification("on")) {
            var outcomes = new io.autobus.backup.BackupRunner.Outcomes() {
                @Override
                public io.autobus.backup.InFlight inFlight(Snapshot snapshot, boolean encrypted) {
                    return verification.outcomes().inFlight(snapshot, encrypted);
                }

                @Override
                public void completed(Snapshot snapshot, io.autobus.backup.InFlight verifying) {
                    var next = locks().tryLock(addon, "DATABASE_URL", 1);
                    freeWhileVerdictRead.set(next.isPresent());
                    next.ifPresent(DatabaseLocks.Held::close);
                    verification.outcomes().completed(snapshot, verifying);
                }

                @Override
                public void failed(Snapshot snapshot, String error) {
                    verification.outcomes().failed(snapshot, error);
                }
            };
            Snapshot snapshot = harness.backup(addon, "DATABASE_URL", store -> store, outcomes);

            assertThat(freeWhileVerdictRead).as("a second snapshot of the database need not wait for the first's verdict").isTrue();
            assertThat(harness.snapshots.find(snapshot.id()).orElseThrow().verification()).isEqualTo("verified");
        }
    }

    @Test
    void a_backup_run_again_after_its_worker_died_before_the_verdict_queues_the_check_after_upload() throws Exception {
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", io.autobus.backup.PostgresBackupTest.sourceDatabase());
        try (var verification = verification("on")) {
            Snapshot snapshot = harness.backup(addon, "DATABASE_URL", store -> store, verification.outcomes());
            harness.rerun(snapshot.id(), verification.outcomes());
            assertThat(queued).as("a verdict given stands").isEmpty();

            // The worker died once the snapshot was stored, while the restore in flight was still counting.
            harness.snapshots.markVerifying(snapshot.id());
            Snapshot again = harness.rerun(snapshot.id(), verification.outcomes());

            assertThat(again.status()).isEqualTo(SnapshotStatus.COMPLETED);
            assertThat(again.finishedAt()).as("not dumped again").isEqualTo(snapshot.finishedAt());
            assertThat(queued).singleElement().isInstanceOfSatisfying(VerifyJob.class, job -> {
                assertThat(job.snapshotId()).isEqualTo(snapshot.id());
                assertThat(job.inFlightFailed()).isEqualTo("its worker stopped before the verdict");
            });
        }
    }

    @Test
    void an_unrestorable_snapshot_fails_in_flight_with_the_tool_s_words_and_is_still_stored() throws Exception {
        String[] databases = SourceDatabases.mariadbWithViewOfAnotherDatabase();
        String source = databases[0];
        String other = databases[1];
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "JAWSDB", "mysql://root@127.0.0.1:3306/" + source);
        try (var verification = verification("on")) {
            Snapshot snapshot = harness.backup(addon, "JAWSDB_URL", store -> store, verification.outcomes());
            Snapshot recorded = harness.snapshots.find(snapshot.id()).orElseThrow();

            assertThat(recorded.status()).isEqualTo(SnapshotStatus.COMPLETED);
            assertThat(harness.stores.byRegion(recorded.storageRegion()).exists(recorded.storageKey())).as("the file is kept").isTrue();
            assertThat(recorded.verification()).isEqualTo("failed");
            assertThat(recorded.verificationDetail()).startsWith("the restore failed: mariadb failed (exit 1):").contains(other);
            assertThat(queued).as("nothing to verify after upload; the owner is told").noneMatch(VerifyJob.class::isInstance)
                    .anyMatch(io.autobus.notify.DeliverNotificationJob.class::isInstance);
        }
    }

    @Test
    void a_restore_that_cannot_keep_up_gives_up_in_flight_and_the_snapshot_is_checked_after_upload_saying_why() throws Exception {
        // A table whose restore sleeps 6 s (in a scratch database only), before 16 MiB that do not compress: far longer than
        // the 1 s wait, however slow the machine is.
        String source = SourceDatabases.checkedDuringVerification("slow", "PERFORM pg_sleep(2)");
        try (var connection = SourceDatabases.postgres(source); var sql = connection.createStatement()) {
            sql.execute("INSERT INTO t VALUES (2), (3)");
            sql.execute("CREATE TABLE z_blobs (id int PRIMARY KEY, data bytea)");
            sql.execute("INSERT INTO z_blobs SELECT i, (SELECT decode(string_agg(md5(random()::text || j), ''), 'hex') "
                    + "FROM generate_series(1, 65536) j) FROM generate_series(1, 16) i");
        }
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", source);
        try (var verification = verification("1s")) {
            Snapshot snapshot = harness.backup(addon, "DATABASE_URL", store -> store, verification.outcomes());
            Snapshot recorded = harness.snapshots.find(snapshot.id()).orElseThrow();

            assertThat(recorded.status()).isEqualTo(SnapshotStatus.COMPLETED);
            assertThat(recorded.verification()).as("no verdict in flight").isNull();
            assertThat(queued).singleElement().isInstanceOfSatisfying(VerifyJob.class, job -> {
                assertThat(job.snapshotId()).isEqualTo(snapshot.id());
                assertThat(job.inFlightFailed()).startsWith("the restore fell behind the dump (no room in its 4096 KiB buffer for 1 s)");
            });

            var verdict = verification.verifier().verify(snapshot.id(), ((VerifyJob) queued.getFirst()).inFlightFailed()).orElseThrow();
            assertThat(verdict.outcome()).as(verdict.detail()).isEqualTo(Verdict.Outcome.VERIFIED);
            assertThat(harness.snapshots.find(snapshot.id()).orElseThrow().verificationDetail())
                    .endsWith("(checked after upload: in flight, the restore fell behind the dump (no room in its 4096 KiB buffer for 1 s))");
        }
    }

    @Test
    void with_no_verification_slot_free_the_upload_goes_on_at_once_and_the_snapshot_is_checked_after_upload() throws Exception {
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", SourceDatabases.incompressiblePostgres("slotless", 24)); // more than the 8 MiB buffer
        var slots = locks();
        try (var verification = verification("on");
             var taken = slots.tryLockInSlot("verifications:" + addon, 1, "verify:elsewhere").orElseThrow()) {
            long started = System.nanoTime();
            Snapshot snapshot = harness.backup(addon, "DATABASE_URL", store -> store, verification.outcomes());

            assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).as("not held for the 30 s wait")
                    .isLessThan(java.time.Duration.ofSeconds(25));
            assertThat(harness.snapshots.find(snapshot.id()).orElseThrow().status()).isEqualTo(SnapshotStatus.COMPLETED);
            assertThat(queued).singleElement().isInstanceOfSatisfying(VerifyJob.class, job ->
                    assertThat(job.inFlightFailed()).isEqualTo("no verification server or slot was free while the dump ran"));
        }
    }

    @Test
    void a_database_that_cannot_be_reached_fails_its_backup_at_once_with_a_verification_in_flight_waiting() throws Exception {
        UUID addon = harness.provisionedAddon();
        harness.attachedEarlier(addon, "DATABASE", "postgres://postgres@127.0.0.1:1/gone");
        try (var verification = verification("on")) {
            var backup = java.util.concurrent.CompletableFuture.supplyAsync(() -> harness.backup(addon, "DATABASE_URL", store -> store,
                    verification.outcomes()));

            Snapshot snapshot = backup.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(snapshot.status()).isEqualTo(SnapshotStatus.FAILED);
            assertThat(snapshot.error()).contains("127.0.0.1:1");
        }
    }

    @Test
    void a_snapshot_encrypted_to_the_customer_s_key_is_verified_in_flight_even_when_in_flight_is_off(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path customer) throws Exception {
        var identity = io.autobus.support.AgeIdentity.generate(customer);
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", io.autobus.backup.PostgresBackupTest.sourceDatabase());
        harness.addons.setEncryptionRecipient(addon, identity.recipient().text());
        try (var verification = verification("off")) {
            Snapshot snapshot = harness.backup(addon, "DATABASE_URL", store -> store, verification.outcomes());
            Snapshot recorded = harness.snapshots.find(snapshot.id()).orElseThrow();

            assertThat(recorded.fileName()).endsWith(".dump.age");
            assertThat(recorded.verification()).as(recorded.verificationDetail()).isEqualTo("verified");
            assertThat(recorded.verificationDetail()).contains("every row count matches the dump");
            assertThat(verification.verifier().verify(snapshot.id())).as("the stored copy is not opened: the verdict stands").isEmpty();
            assertThat(harness.snapshots.find(snapshot.id()).orElseThrow().verification()).isEqualTo("verified");
        }
    }

    /** The worker's verification with {@code AUTOBUS_VERIFY_IN_FLIGHT}, recording what it queues instead of running it. */
    private WorkerVerification verification(String inFlight) throws Exception {
        var settings = io.autobus.config.Settings.fromEnvironment(Map.of(
                "AUTOBUS_HOME", Files.createTempDirectory("verify").toString(),
                "AUTOBUS_VERIFY_IN_FLIGHT", inFlight,
                "VERIFY_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres",
                "VERIFY_MYSQL_URL", "mysql://root@127.0.0.1:3306/mysql"));
        var scheduler = new JobRequestScheduler(harness.app.jobStorage()) {
            @Override
            public JobId enqueue(UUID id, JobRequest request) {
                queued.add(request);
                return new JobId(id);
            }
        };
        var notifier = new Notifier(harness.app.db, scheduler, false, harness.app.clock);
        return new WorkerVerification(settings, harness, locks(), notifier, scheduler);
    }

    private DatabaseLocks locks() {
        var ds = new PGSimpleDataSource();
        ds.setUrl(harness.app.databaseUrl.replace("postgres://postgres@", "jdbc:postgresql://"));
        ds.setUser("postgres");
        return new DatabaseLocks(ds);
    }
}
