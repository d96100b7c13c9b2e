package io.autobus.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.dump.Tools;
import io.autobus.support.BackupHarness;
import io.autobus.support.InterceptedStore;
import io.autobus.support.SourceDatabases;
import io.autobus.support.TestDatabase;
import io.autobus.storage.SnapshotStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.FilterInputStream;
import java.io.IOException;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;

/** Backups that cannot or do not finish leave a failed record with the reason, and nothing stored. */
class BackupFailureTest {
    private final BackupHarness harness = new BackupHarness();

    @Test
    void a_dump_killed_half_way_fails_and_leaves_no_object_and_no_open_upload() throws Exception {
        String source = SourceDatabases.incompressiblePostgres("big", 40);
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", source);

        Snapshot snapshot = harness.backup(addon, "DATABASE_URL", store -> killingStore(store, 20L * 1024 * 1024, URI.create(source).getPath().substring(1)));

        assertThat(snapshot.status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(snapshot.error()).contains("pg_dump");
        assertThat(snapshot.storageKey()).isNull();
        String key = SnapshotKeys.objectKey(addon, "DATABASE_URL", snapshot.id(), "postgresql");
        assertThat(harness.eu.exists(key)).isFalse();
        assertThat(harness.s3.client().listMultipartUploads(ListMultipartUploadsRequest.builder().bucket(harness.bucketEu).build())
                .uploads()).noneMatch(upload -> upload.key().equals(key));
    }

    @Test
    void a_mysqldump_killed_half_way_fails_and_leaves_no_object_and_no_open_upload() throws Exception {
        String database = SourceDatabases.createMariadb("big");
        try (var connection = SourceDatabases.mariadb(database); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE blobs (id INT PRIMARY KEY, data LONGBLOB) ENGINE=InnoDB");
            var random = new java.util.Random(7);
            try (var insert = connection.prepareStatement("INSERT INTO blobs VALUES (?, ?)")) {
                for (int i = 1; i <= 30; i++) {
                    byte[] blob = new byte[1024 * 1024];
                    random.nextBytes(blob);
                    insert.setInt(1, i);
                    insert.setBytes(2, blob);
                    insert.executeUpdate();
                }
            }
        }
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "JAWSDB", "mysql://root@127.0.0.1:3306/" + database);

        Snapshot snapshot = harness.backup(addon, "JAWSDB_URL", store -> killingStore(store, 20L * 1024 * 1024, database));

        assertThat(snapshot.status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(snapshot.error()).containsAnyOf("mariadb-dump", "mysqldump");
        String key = SnapshotKeys.objectKey(addon, "JAWSDB_URL", snapshot.id(), "mysql");
        assertThat(harness.eu.exists(key)).isFalse();
        assertThat(harness.s3.client().listMultipartUploads(ListMultipartUploadsRequest.builder().bucket(harness.bucketEu).build())
                .uploads()).noneMatch(upload -> upload.key().equals(key));
    }

    @Test
    void a_run_taken_again_after_a_killed_worker_aborts_the_upload_the_killed_run_left_open() throws Exception {
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", TestDatabase.create("retaken"));
        String id = harness.snapshots.createOrFind(new SnapshotRepository.NewSnapshot(SnapshotKeys.newId(), addon, "DATABASE_URL",
                "postgresql", SnapshotKind.MANUAL, null, null, UUID.randomUUID(), harness.app.clock.instant()));
        String key = SnapshotKeys.objectKey(addon, "DATABASE_URL", id, "postgresql");
        harness.snapshots.markRunning(id, harness.app.clock.instant());
        // What a worker killed mid-upload leaves behind: the snapshot "running", an upload open.
        harness.s3.client().createMultipartUpload(create -> create.bucket(harness.bucketEu).key(key));

        Snapshot retaken = harness.rerun(id);

        assertThat(retaken.status()).isEqualTo(SnapshotStatus.COMPLETED);
        assertThat(harness.s3.client().listMultipartUploads(ListMultipartUploadsRequest.builder().bucket(harness.bucketEu).build())
                .uploads()).noneMatch(upload -> upload.key().equals(key));
    }

    @Test
    void a_store_that_cannot_be_written_fails_the_snapshot_with_the_reason_and_keeps_nothing() {
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", TestDatabase.create("readonly"));
        // procfs refuses new files even to root: a read-only store, as root cannot make one with permissions.
        var readOnly = new io.autobus.storage.LocalSnapshotStore(java.nio.file.Path.of("/proc/autobus-store"),
                URI.create("http://localhost"), new byte[32], harness.app.clock);

        Snapshot snapshot = harness.backup(addon, "DATABASE_URL", store -> "eu-west-1".equals(store.region()) ? readOnly : store);

        assertThat(snapshot.status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(snapshot.error()).contains("/proc/autobus-store");
        assertThat(snapshot.storageKey()).isNull();
    }

    @Test
    void a_pg_dump_older_than_the_server_fails_at_once_naming_both_versions() throws Exception {
        var pgDump15 = java.nio.file.Path.of("/usr/lib/postgresql/15/bin");
        Assumptions.assumeTrue(java.nio.file.Files.isExecutable(pgDump15.resolve("pg_dump")),
                "needs Debian's pg_dump 15, older than the embedded PostgreSQL 17 server");
        try (var server17 = EmbeddedPostgres.builder().start()) {
            UUID addon = harness.provisionedAddon();
            // Attached before its server was upgraded past the pg_dump installed here (attaching now is refused with the same words).
            harness.attachedEarlier(addon, "DATABASE", "postgres://postgres@127.0.0.1:" + server17.getPort() + "/postgres");
            var dumper = new io.autobus.dump.PostgresDumper(Tools.in(java.util.List.of(pgDump15), harness.toolRoot()),
                    io.autobus.dump.CompressionThreads.of(1, 1));

            var error = org.assertj.core.api.Assertions.catchThrowable(() -> dumper.start(
                    io.autobus.dump.DatabaseUrl.parse("postgres://postgres@127.0.0.1:" + server17.getPort() + "/postgres"),
                    java.net.InetAddress.getLoopbackAddress(), io.autobus.dump.DumpOptions.DEFAULT));

            assertThat(error).isInstanceOf(io.autobus.dump.DumpException.class)
                    .hasMessageContaining("pg_dump 15").hasMessageContaining("PostgreSQL 17")
                    .hasMessageContaining("postgresql-client-17");
        }
    }

    @Test
    void a_database_that_cannot_be_reached_fails_with_the_reason_and_no_password_in_it() {
        UUID addon = harness.provisionedAddon();
        harness.attachedEarlier(addon, "DATABASE", "postgres://someone:s3cret-pass@127.0.0.1:1/nothing");

        Snapshot snapshot = harness.backup(addon, "DATABASE_URL");

        assertThat(snapshot.status()).isEqualTo(SnapshotStatus.FAILED);
        assertThat(snapshot.error()).contains("could not connect").doesNotContain("s3cret-pass");
        assertThat(snapshot.finishedAt()).isNotNull();
    }

    /**
     * A store that kills the dump tool of {@code database} once it has received {@code after} bytes; only that one:
     * other tests' apps dump in the background of the same JVM.
     */
    private static SnapshotStore killingStore(SnapshotStore store, long after, String database) {
        return InterceptedStore.onPut(store, content -> new FilterInputStream(content) {
            private long seen;

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                seen += Math.max(n, 0);
                if (seen > after) {
                    ProcessHandle.current().descendants()
                            .filter(p -> p.info().command().orElse("").matches(".*/(pg_dump|mariadb-dump|mysqldump)"))
                            .filter(p -> p.info().commandLine().orElse("").contains(database))
                            .forEach(ProcessHandle::destroyForcibly);
                }
                return n;
            }
        });
    }
}
