package io.autobus.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.dump.DatabaseStatistics.TableStatistics;
import io.autobus.dump.DumpOptions;
import io.autobus.support.BackupHarness;
import io.autobus.support.SourceDatabases;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MariaDB database with utf8mb4 text, blobs, datetimes, a view, a trigger and a procedure is
 * dumped with the real client into S3 (S3Proxy), fetched through its presigned URL and restored
 * with the seed's {@code gzip -d -c FILE.sql.gz | mysql -h host -u user db}.
 */
public class MysqlBackupTest {
    private static final String[] CONTENT = {
            "SELECT id, body, HEX(data), created, price FROM notes ORDER BY id",
            "SELECT note_id FROM note_log ORDER BY id",
            "SELECT id, body FROM long_notes ORDER BY id",
            "SELECT TRIGGER_NAME, EVENT_MANIPULATION, ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()",
            "SELECT ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()"};

    private final BackupHarness harness = new BackupHarness();
    @TempDir
    Path downloads;

    @Test
    void a_snapshot_restores_with_the_seed_s_gzip_and_mysql_commands_to_the_same_content() throws Exception {
        String source = sourceDatabase();
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "JAWSDB_MARIA", "mysql://root@127.0.0.1:3306/" + source);

        Snapshot snapshot = harness.backup(addon, "JAWSDB_MARIA_URL");

        assertThat(snapshot.status()).as(String.valueOf(snapshot.error())).isEqualTo(SnapshotStatus.COMPLETED);
        assertThat(snapshot.fileName()).isEqualTo("JAWSDB_MARIA_" + snapshot.id() + ".sql.gz");
        assertThat(snapshot.serverVersion()).contains("MariaDB");
        assertThat(harness.snapshots.tables(snapshot.id()))
                .extracting(TableStatistics::name, TableStatistics::rows, TableStatistics::rowsExact)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("audit", 3L, true),
                        org.assertj.core.groups.Tuple.tuple("note_log", 4L, true),
                        org.assertj.core.groups.Tuple.tuple("notes", 4L, true));

        String target = restoredWithTheSeedsCommand(snapshot);

        try (var before = SourceDatabases.mariadb(source); var after = SourceDatabases.mariadb(target)) {
            assertThat(SourceDatabases.rows(after, CONTENT)).isEqualTo(SourceDatabases.rows(before, CONTENT));
            try (var call = after.prepareCall("{CALL count_notes(?)}")) {
                call.registerOutParameter(1, java.sql.Types.INTEGER);
                call.execute();
                assertThat(call.getInt(1)).isEqualTo(4);
            }
        }
    }

    @Test
    void excluded_tables_are_left_out_and_excluded_data_keeps_only_the_table() throws Exception {
        String source = sourceDatabase();
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "CLEARDB_DATABASE", "mysql://root@127.0.0.1:3306/" + source + "?reconnect=true");
        harness.addons.setDumpOptions(addon, "CLEARDB_DATABASE_URL",
                DumpOptions.fromJson("{\"exclude_tables\": [\"audit\"], \"exclude_table_data\": [\"note_log\"]}").toJson());

        Snapshot snapshot = harness.backup(addon, "CLEARDB_DATABASE_URL");

        String target = restoredWithTheSeedsCommand(snapshot);
        try (var after = SourceDatabases.mariadb(target)) {
            assertThat(SourceDatabases.rows(after, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'"))
                    .contains("note_log", "notes").doesNotContain("audit");
            assertThat(SourceDatabases.rows(after, "SELECT COUNT(*) FROM note_log")).contains("0");
            assertThat(SourceDatabases.rows(after, "SELECT COUNT(*) FROM notes")).contains("4");
        }
    }

    @Test
    void wildcard_exclusions_leave_out_every_matching_table_as_they_do_for_postgres() throws Exception {
        String source = SourceDatabases.createMariadb("wildcards");
        try (var connection = SourceDatabases.mariadb(source); var statement = connection.createStatement()) {
            for (String table : List.of("logs_a", "logs_b", "logsheet", "kept", "cache_1")) {
                statement.execute("CREATE TABLE " + table + " (v INT)");
                statement.execute("INSERT INTO " + table + " VALUES (1), (2)");
            }
        }
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "JAWSDB", "mysql://root@127.0.0.1:3306/" + source);
        harness.addons.setDumpOptions(addon, "JAWSDB_URL",
                DumpOptions.fromJson("{\"exclude_tables\": [\"logs_*\"], \"exclude_table_data\": [\"cache_?\"]}").toJson());

        Snapshot snapshot = harness.backup(addon, "JAWSDB_URL");

        String sql;
        try (var stored = new java.util.zip.GZIPInputStream(harness.stores.byRegion(snapshot.storageRegion()).open(snapshot.storageKey()))) {
            sql = new String(stored.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(sql).doesNotContain("CREATE TABLE `logs_a`").doesNotContain("CREATE TABLE `logs_b`")
                .contains("CREATE TABLE `logsheet`").contains("CREATE TABLE `kept`").contains("CREATE TABLE `cache_1`")
                .doesNotContain("INSERT INTO `cache_1`").contains("INSERT INTO `kept`");
    }

    @Test
    void routines_the_app_s_user_may_not_read_leave_a_partial_snapshot_that_restores_and_tells_the_owner_once() throws Exception {
        String source = SourceDatabases.createMariadb("partial");
        String user = "app_" + UUID.randomUUID().toString().substring(0, 8);
        try (var connection = SourceDatabases.mariadb(source); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (v INT)");
            statement.execute("INSERT INTO t VALUES (1), (2), (3)");
            // Defined by another account (root): the app's user sees it exists but may not read its body.
            statement.execute("CREATE FUNCTION twice(v INT) RETURNS INT DETERMINISTIC RETURN v * 2");
            statement.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'pw'");
            statement.execute("GRANT ALL ON `" + source + "`.* TO '" + user + "'@'%'");
        }
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "JAWSDB", "mysql://" + user + ":pw@127.0.0.1:3306/" + source);
        var notifier = new io.autobus.notify.Notifier(harness.app.db, harness.app.scheduler(), false, harness.app.clock);
        var notices = new io.autobus.backup.BackupNotices(io.autobus.backup.BackupRunner.Outcomes.NONE, notifier);
        try {
            Snapshot snapshot = harness.backup(addon, "JAWSDB_URL", store -> store, notices);
            harness.app.clock.advance(java.time.Duration.ofMinutes(1));
            harness.backup(addon, "JAWSDB_URL", store -> store, notices);

            assertThat(snapshot.status()).as(snapshot.error()).isEqualTo(SnapshotStatus.COMPLETED);
            assertThat(snapshot.partialReason()).isEqualTo("routines not dumped: user " + user + " lacks privilege on function `twice`");
            String target = restoredWithTheSeedsCommand(snapshot);
            try (var after = SourceDatabases.mariadb(target)) {
                assertThat(SourceDatabases.rows(after, "SELECT COUNT(*) FROM t")).contains("3");
            }
            assertThat(harness.app.db.fetchCount(io.autobus.db.generated.Tables.NOTIFICATION,
                    io.autobus.db.generated.Tables.NOTIFICATION.ADDON_ID.eq(addon),
                    io.autobus.db.generated.Tables.NOTIFICATION.SUBJECT.eq("Snapshots of JAWSDB_URL leave something out")))
                    .as("told once, not at every snapshot").isEqualTo(1);
        } finally {
            try (var connection = SourceDatabases.mariadb(""); var statement = connection.createStatement()) {
                statement.execute("DROP USER IF EXISTS '" + user + "'@'%'");
            }
        }
    }

    /** Downloads the snapshot and restores it as the seed says, {@code gzip -d -c FILE | mysql ... db}; returns the database. */
    private String restoredWithTheSeedsCommand(Snapshot snapshot) {
        Path file = downloads.resolve(snapshot.fileName());
        SourceDatabases.download(harness.stores.byRegion(snapshot.storageRegion())
                .downloadUrl(snapshot.storageKey(), snapshot.fileName()), file);
        String target = SourceDatabases.createMariadb("restored");
        var restore = SourceDatabases.run(List.of("gzip", "-d", "-c", file.toString()),
                List.of("mysql", "-h", "127.0.0.1", "-uroot", target));
        assertThat(restore.exit()).as(restore.output()).isZero();
        return target;
    }

    /** utf8mb4 text, a blob, datetimes, decimals, a view, a trigger, a procedure. */
    public static String sourceDatabase() throws SQLException {
        String name = SourceDatabases.createMariadb("source");
        try (var connection = SourceDatabases.mariadb(name); var statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE notes (id INT AUTO_INCREMENT PRIMARY KEY, body TEXT CHARACTER SET utf8mb4 NOT NULL,
                      data BLOB, created DATETIME(3), price DECIMAL(10,2)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4""");
            statement.execute("CREATE TABLE note_log (id INT AUTO_INCREMENT PRIMARY KEY, note_id INT NOT NULL) ENGINE=InnoDB");
            statement.execute("CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(50)) ENGINE=InnoDB");
            statement.execute("CREATE TRIGGER notes_logged AFTER INSERT ON notes FOR EACH ROW INSERT INTO note_log (note_id) VALUES (NEW.id)");
            statement.execute("CREATE VIEW long_notes AS SELECT id, body FROM notes WHERE CHAR_LENGTH(body) > 10");
            statement.execute("CREATE PROCEDURE count_notes(OUT n INT) BEGIN SELECT COUNT(*) INTO n FROM notes; END");
            statement.execute("""
                    INSERT INTO notes (body, data, created, price) VALUES
                      ('emoji 😀 and naïve 日本語 text', UNHEX('00FF7F80DEADBEEF'), '2026-01-02 03:04:05.678', 12.50),
                      ('short', NULL, '1999-12-31 23:59:59.000', 0.00),
                      ('quotes \\' " and backslash \\\\ survive', UNHEX(REPEAT('AB', 3000)), NULL, -3.25),
                      ('tabs\tand\nnewlines', '', '2038-01-19 03:14:08.000', 99999999.99)""");
            statement.execute("INSERT INTO audit (what) VALUES ('a'), ('b'), ('c')");
        }
        return name;
    }
}
