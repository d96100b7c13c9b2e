package io.autobus.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.backup.Snapshot;
import io.autobus.backup.SnapshotKeys;
import io.autobus.backup.SnapshotStatus;
import io.autobus.dump.Tools;
import io.autobus.support.BackupHarness;
import io.autobus.support.InterceptedStore;
import io.autobus.support.OpenStreams;
import io.autobus.support.SourceDatabases;
import io.autobus.support.UnstartableClient;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restore whose tool does not run downloads nothing, and leaves no download open. */
class RestoreDownloadTest {
    private final BackupHarness harness = new BackupHarness();
    private final OpenStreams downloads = new OpenStreams();
    private final UUID addon = harness.provisionedAddon();

    @TempDir
    Path tools;

    @Test
    void a_restore_with_no_client_installed_fails_saying_so_and_downloads_nothing() throws SQLException {
        Snapshot snapshot = storedSnapshot();

        Restore restore = restore(snapshot, Tools.in(List.of(tools), harness.toolRoot()));

        assertThat(restore.status()).isEqualTo(RestoreStatus.FAILED);
        assertThat(restore.error()).contains("the mysql client is not installed here");
        assertThat(downloads.opened()).as("no connection to the store while the restore finds out").isZero();
    }

    @Test
    void a_restore_whose_client_cannot_start_fails_saying_so_and_leaves_no_download_open() throws Exception {
        Snapshot snapshot = storedSnapshot();
        UnstartableClient.in(tools);

        Restore restore = restore(snapshot, Tools.in(List.of(tools), harness.toolRoot()));

        assertThat(restore.status()).isEqualTo(RestoreStatus.FAILED);
        assertThat(restore.error()).contains("could not start").contains("mariadb");
        assertThat(downloads.opened()).as("the stored object is downloaded once the client runs, not before").isZero();
        assertThat(downloads.stillOpen()).isZero();
    }

    private Snapshot storedSnapshot() throws SQLException {
        String database = SourceDatabases.createMariadb("restored");
        try (var connection = SourceDatabases.mariadb(database); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE orders (id INT PRIMARY KEY)");
            statement.execute("INSERT INTO orders VALUES (1), (2)");
        }
        harness.attach(addon, "JAWSDB", "mysql://root@127.0.0.1:3306/" + database);
        Snapshot snapshot = harness.backup(addon, "JAWSDB_URL");
        assertThat(snapshot.status()).as(String.valueOf(snapshot.error())).isEqualTo(SnapshotStatus.COMPLETED);
        return snapshot;
    }

    private Restore restore(Snapshot snapshot, Tools clients) {
        String id = SnapshotKeys.newId();
        harness.restores.create(new RestoreRepository.NewRestore(id, addon, snapshot.id(), "JAWSDB_URL", RestoreMode.WHOLE, List.of(),
                false, UUID.randomUUID(), harness.app.clock.instant()));
        harness.restoreRunner(clients, store -> InterceptedStore.onOpen(store, downloads)).run(id);
        return harness.restores.find(id).orElseThrow();
    }
}
