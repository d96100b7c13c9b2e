package io.autobus.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.dump.DatabaseStatistics.TableStatistics;
import io.autobus.support.BackupHarness;
import io.autobus.support.SourceDatabases;
import io.autobus.support.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL database of varied types is dumped with real pg_dump into S3 (S3Proxy), fetched
 * through its presigned URL and restored with the seed's exact pg_restore command.
 */
public class PostgresBackupTest {
    private static final String[] CONTENT = {
            "SELECT id, name, mood, tags, profile, encode(avatar, 'hex'), born, balance, seen_at, invoice FROM people ORDER BY id",
            "SELECT id, name FROM happy_people ORDER BY id",
            "SELECT id, entry FROM audit_log ORDER BY id",
            "SELECT id, payload FROM events ORDER BY id",
            "SELECT last_value FROM invoice_no",
            "SELECT greeting('world')",
            "SELECT enum_range(NULL::mood)::text",
            "SELECT indexname FROM pg_indexes WHERE tablename = 'people' ORDER BY 1"};

    private final BackupHarness harness = new BackupHarness();
    @TempDir
    Path downloads;

    @Test
    void a_snapshot_restores_with_the_seed_s_pg_restore_command_to_the_same_content() throws Exception {
        String source = sourceDatabase();
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", source);

        Snapshot snapshot = harness.backup(addon, "DATABASE_URL");

        assertThat(snapshot.status()).as(String.valueOf(snapshot.error())).isEqualTo(SnapshotStatus.COMPLETED);
        assertThat(snapshot.storageRegion()).as("a US app is stored in Europe").isEqualTo("eu-west-1");
        assertThat(snapshot.serverVersion()).startsWith("15");
        assertThat(snapshot.fileName()).isEqualTo("DATABASE_" + snapshot.id() + ".dump");
        Path file = downloads.resolve(snapshot.fileName());
        String disposition = SourceDatabases.download(harness.stores.byRegion(snapshot.storageRegion())
                .downloadUrl(snapshot.storageKey(), snapshot.fileName()), file);
        assertThat(disposition).contains(snapshot.fileName());
        assertThat(Files.size(file)).isEqualTo(snapshot.sizeBytes());
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))))
                .isEqualTo(snapshot.sha256());

        String target = TestDatabase.create("restored");
        String targetName = target.substring(target.lastIndexOf('/') + 1);
        var restore = SourceDatabases.run(List.of("pg_restore", "--verbose", "--clean", "--no-acl", "--no-owner",
                "-h", "127.0.0.1", "-U", "postgres", "-d", targetName, file.toString()));

        assertThat(restore.output().lines().filter(line -> line.contains("error:")))
                .as("--clean into an empty database only complains about objects it cannot drop")
                .allMatch(line -> line.contains("does not exist"));
        try (var before = SourceDatabases.postgres(source); var after = SourceDatabases.postgres(target)) {
            assertThat(SourceDatabases.rows(after, CONTENT)).isEqualTo(SourceDatabases.rows(before, CONTENT));
        }
    }

    @Test
    void statistics_are_taken_at_dump_time_with_exact_row_counts() throws Exception {
        String source = sourceDatabase();
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", source);

        Snapshot first = harness.backup(addon, "DATABASE_URL");
        try (var connection = SourceDatabases.postgres(source); var statement = connection.createStatement()) {
            statement.execute("INSERT INTO audit_log (entry) SELECT 'more ' || i FROM generate_series(1, 25) i");
            statement.execute("CREATE TABLE invoices (id serial PRIMARY KEY)");
            statement.execute("DROP TABLE events");
        }
        harness.app.clock.advance(java.time.Duration.ofDays(1));
        Snapshot second = harness.backup(addon, "DATABASE_URL");

        assertThat(harness.snapshots.tables(first.id()))
                .extracting(TableStatistics::name, TableStatistics::rows, TableStatistics::rowsExact)
                .contains(org.assertj.core.groups.Tuple.tuple("public.people", 500L, true),
                        org.assertj.core.groups.Tuple.tuple("public.audit_log", 50L, true),
                        org.assertj.core.groups.Tuple.tuple("public.events", 30L, true));
        assertThat(first.databaseSizeBytes()).isPositive();
        assertThat(harness.snapshots.previousCompleted(second)).map(Snapshot::id).hasValue(first.id());
        var changes = SnapshotChanges.between(first.databaseSizeBytes(), harness.snapshots.tables(first.id()),
                second.databaseSizeBytes(), harness.snapshots.tables(second.id()), io.autobus.dump.DumpOptions.DEFAULT);
        assertThat(changes.tablesAdded()).containsExactly("public.invoices");
        assertThat(changes.tablesDropped()).containsExactly("public.events");
        assertThat(changes.tables()).filteredOn(t -> t.name().equals("public.audit_log"))
                .singleElement().satisfies(t -> assertThat(t.rowsDelta()).isEqualTo(25L));
    }

    @Test
    void excluded_tables_are_left_out_and_excluded_data_keeps_only_the_table() throws Exception {
        String source = sourceDatabase();
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", source);
        harness.addons.setDumpOptions(addon, "DATABASE_URL",
                io.autobus.dump.DumpOptions.fromJson("{\"exclude_tables\": [\"audit_log\"], \"exclude_table_data\": [\"events\"]}").toJson());

        Snapshot snapshot = harness.backup(addon, "DATABASE_URL");

        Path file = downloads.resolve(snapshot.fileName());
        SourceDatabases.download(harness.stores.byRegion(snapshot.storageRegion()).downloadUrl(snapshot.storageKey(), snapshot.fileName()), file);
        String target = TestDatabase.create("restored");
        SourceDatabases.run(List.of("pg_restore", "--no-acl", "--no-owner", "-h", "127.0.0.1", "-U", "postgres",
                "-d", target.substring(target.lastIndexOf('/') + 1), file.toString()));
        try (var after = SourceDatabases.postgres(target)) {
            assertThat(SourceDatabases.rows(after, "SELECT count(*) FROM events")).containsExactly("-- SELECT count(*) FROM events", "0");
            assertThat(SourceDatabases.rows(after, "SELECT to_regclass('public.audit_log')")).contains("null");
            assertThat(SourceDatabases.rows(after, "SELECT count(*) FROM people")).contains("500");
        }
    }

    @Test
    void an_exclusion_names_exactly_one_table_case_and_all() throws Exception {
        String source = TestDatabase.create("exact");
        try (var connection = SourceDatabases.postgres(source); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE \"AuditLog\" (id int)");
            statement.execute("CREATE TABLE auditlog (id int)");
        }
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", source);
        harness.addons.setDumpOptions(addon, "DATABASE_URL", io.autobus.dump.DumpOptions.fromJson("{\"exclude_tables\": [\"AuditLog\"]}").toJson());

        Snapshot snapshot = harness.backup(addon, "DATABASE_URL");

        Path file = downloads.resolve(snapshot.fileName());
        SourceDatabases.download(harness.stores.byRegion(snapshot.storageRegion()).downloadUrl(snapshot.storageKey(), snapshot.fileName()), file);
        String listing = SourceDatabases.run(List.of("pg_restore", "--list", file.toString())).output();
        assertThat(listing).contains("TABLE public auditlog").doesNotContain("AuditLog");
    }

    /** enums, jsonb, arrays, bytea, numeric, a view, a sequence, an index, a function. */
    public static String sourceDatabase() throws SQLException {
        String url = TestDatabase.create("source");
        try (var connection = SourceDatabases.postgres(url); var statement = connection.createStatement()) {
            statement.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')");
            statement.execute("CREATE SEQUENCE invoice_no START 1000");
            statement.execute("""
                    CREATE TABLE people (id serial PRIMARY KEY, name text NOT NULL, mood mood, tags text[], profile jsonb,
                      avatar bytea, born date, balance numeric(12,2), seen_at timestamptz, invoice int DEFAULT nextval('invoice_no'))""");
            statement.execute("CREATE INDEX people_lower_name_idx ON people (lower(name))");
            statement.execute("CREATE VIEW happy_people AS SELECT id, name FROM people WHERE mood = 'happy'");
            statement.execute("CREATE FUNCTION greeting(who text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'hello ' || who $$");
            statement.execute("""
                    INSERT INTO people (name, mood, tags, profile, avatar, born, balance, seen_at)
                    SELECT 'person ' || i || ' é ✓', (ARRAY['sad','ok','happy'])[1 + i % 3]::mood, ARRAY['t' || i, 'x'],
                      jsonb_build_object('i', i, 'nested', jsonb_build_object('ok', i % 2 = 0)), decode(md5(i::text), 'hex'),
                      date '1990-01-01' + i, i * 1.25, timestamptz '2026-01-01 00:00+00' + i * interval '1 hour'
                    FROM generate_series(1, 500) i""");
            statement.execute("CREATE TABLE audit_log (id bigserial PRIMARY KEY, entry text)");
            statement.execute("INSERT INTO audit_log (entry) SELECT 'entry ' || i FROM generate_series(1, 50) i");
            statement.execute("CREATE TABLE events (id bigserial PRIMARY KEY, payload jsonb)");
            statement.execute("INSERT INTO events (payload) SELECT jsonb_build_object('n', i) FROM generate_series(1, 30) i");
            statement.execute("ANALYZE");
        }
        return url;
    }
}
