package io.autobus.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.api.ApiTokens;
import io.autobus.support.AgeIdentity;
import io.autobus.support.BackupHarness;
import io.autobus.support.CapturedLogs;
import io.autobus.support.SourceDatabases;
import io.autobus.support.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the customer's age public key set, snapshots are stored encrypted to it ({@code .age}):
 * the customer's identity and the real {@code age} tool open them, and the seed's restore command
 * after {@code age -d} brings the rows back. The service only ever holds the public key.
 */
class EncryptedBackupTest {
    private static final String[] POSTGRES_CONTENT = {
            "SELECT id, name, mood, tags, profile, encode(avatar, 'hex'), born, balance, seen_at, invoice FROM people ORDER BY id",
            "SELECT id, entry FROM audit_log ORDER BY id",
            "SELECT greeting('world')"};
    private static final String[] MYSQL_CONTENT = {
            "SELECT id, body, HEX(data), created, price FROM notes ORDER BY id",
            "SELECT note_id FROM note_log ORDER BY id"};

    private final BackupHarness harness = new BackupHarness();
    @TempDir
    Path customer;

    @Test
    void a_postgres_snapshot_is_stored_encrypted_to_the_key_and_restores_after_age_decrypts_it() throws Exception {
        var identity = AgeIdentity.generate(customer);
        String source = PostgresBackupTest.sourceDatabase();
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", source);
        String token = new ApiTokens(harness.app.db).enable(addon, true).orElseThrow();
        var set = put(token, "{\"recipient\": \"" + identity.recipient().text() + "\"}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);

        Snapshot snapshot = harness.backup(addon, "DATABASE_URL");

        assertThat(snapshot.status()).as(String.valueOf(snapshot.error())).isEqualTo(SnapshotStatus.COMPLETED);
        assertThat(snapshot.fileName()).isEqualTo("DATABASE_" + snapshot.id() + ".dump.age");
        assertThat(snapshot.storageKey()).isEqualTo(addon + "/DATABASE_" + snapshot.id() + ".dump.age");
        assertThat(snapshot.encryptedTo()).isEqualTo(identity.recipient().text());
        Path file = download(snapshot);
        byte[] stored = Files.readAllBytes(file);
        assertThat(new String(stored, 0, 22, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("age-encryption.org/v1\n");
        assertThat((long) stored.length).as("the size is the stored, encrypted file's").isEqualTo(snapshot.sizeBytes());
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored))).isEqualTo(snapshot.sha256());
        assertThat(new String(identity.decrypt(file), 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PGDMP");

        String target = TestDatabase.create("decrypted");
        String targetName = target.substring(target.lastIndexOf('/') + 1);
        // What the snapshot page shows: age -d -i key.txt FILE | pg_restore ... (pg_restore reads stdin without a file).
        var restore = SourceDatabases.run(List.of("age", "-d", "-i", identity.file().toString(), file.toString()),
                List.of("pg_restore", "--verbose", "--clean", "--if-exists", "--no-acl", "--no-owner", "-h", "127.0.0.1", "-U", "postgres",
                        "-d", targetName));

        assertThat(restore.exit()).as(restore.output()).isZero();
        try (var before = SourceDatabases.postgres(source); var after = SourceDatabases.postgres(target)) {
            assertThat(SourceDatabases.rows(after, POSTGRES_CONTENT)).isEqualTo(SourceDatabases.rows(before, POSTGRES_CONTENT));
        }
        assertThat(RestoreCommands.yourself(snapshot, null, null)).isEqualTo("age -d -i key.txt " + snapshot.fileName()
                + " | pg_restore --verbose --clean --if-exists --no-acl --no-owner -h host -U myuser -d mydb");
    }

    @Test
    void a_mariadb_snapshot_is_stored_encrypted_and_restores_with_age_gzip_and_mysql() throws Exception {
        var identity = AgeIdentity.generate(customer);
        String source = MysqlBackupTest.sourceDatabase();
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "JAWSDB_MARIA", "mysql://root@127.0.0.1:3306/" + source);
        harness.addons.setEncryptionRecipient(addon, identity.recipient().text());

        Snapshot snapshot = harness.backup(addon, "JAWSDB_MARIA_URL");

        assertThat(snapshot.status()).as(String.valueOf(snapshot.error())).isEqualTo(SnapshotStatus.COMPLETED);
        assertThat(snapshot.fileName()).isEqualTo("JAWSDB_MARIA_" + snapshot.id() + ".sql.gz.age");
        Path file = download(snapshot);
        String target = SourceDatabases.createMariadb("decrypted");
        var restore = SourceDatabases.run(List.of("age", "-d", "-i", identity.file().toString(), file.toString()),
                List.of("gzip", "-d"), List.of("mysql", "-h", "127.0.0.1", "-uroot", target));

        assertThat(restore.exit()).as(restore.output()).isZero();
        try (var before = SourceDatabases.mariadb(source); var after = SourceDatabases.mariadb(target)) {
            assertThat(SourceDatabases.rows(after, MYSQL_CONTENT)).isEqualTo(SourceDatabases.rows(before, MYSQL_CONTENT));
        }
        assertThat(RestoreCommands.yourself(snapshot, "h", "d")).startsWith("age -d -i key.txt " + snapshot.fileName() + " | gzip -d | mysql -h h");
    }

    @Test
    void turned_off_later_snapshots_are_plain_and_the_earlier_one_stays_encrypted() throws Exception {
        var identity = AgeIdentity.generate(customer);
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "DATABASE", PostgresBackupTest.sourceDatabase());
        String token = new ApiTokens(harness.app.db).enable(addon, true).orElseThrow();
        assertThat(put(token, "{\"recipient\": \"" + identity.recipient().text() + "\"}").statusCode()).isEqualTo(200);
        Snapshot encrypted = harness.backup(addon, "DATABASE_URL");

        var off = harness.app.http.send("DELETE", "/api/settings/encryption", null, Map.of("Authorization", "Bearer " + token));
        Snapshot plain = harness.backup(addon, "DATABASE_URL");

        assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
        assertThat(off.body()).contains("\"encryption_recipient\":null");
        assertThat(plain.fileName()).endsWith(".dump");
        assertThat(plain.encrypted()).isFalse();
        assertThat(new String(Files.readAllBytes(download(plain)), 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PGDMP");
        assertThat(harness.snapshots.find(encrypted.id()).orElseThrow().fileName()).endsWith(".dump.age");
    }

    @Test
    void the_service_holds_no_private_key_in_its_data_or_logs_and_refuses_to_restore_what_it_cannot_read() throws Exception {
        var identity = AgeIdentity.generate(customer);
        try (var captured = CapturedLogs.start()) {
            UUID addon = harness.provisionedAddon();
            harness.attach(addon, "DATABASE", PostgresBackupTest.sourceDatabase());
            String token = new ApiTokens(harness.app.db).enable(addon, true).orElseThrow();
            var pastedPrivate = put(token, "{\"recipient\": \"" + identity.privateKey() + "\"}");
            var set = put(token, "{\"recipient\": \"" + identity.recipient().text() + "\"}");
            Snapshot snapshot = harness.backup(addon, "DATABASE_URL");
            var restore = harness.app.http.send("POST", "/api/snapshots/" + snapshot.id() + "/restores", "{\"confirm\": \"x\"}",
                    Map.of("Authorization", "Bearer " + token));

            assertThat(pastedPrivate.statusCode()).isEqualTo(422);
            assertThat(pastedPrivate.body()).contains("private key").doesNotContain(identity.privateKey());
            assertThat(set.statusCode()).isEqualTo(200);
            assertThat(restore.statusCode()).as(restore.body()).isEqualTo(422);
            assertThat(restore.body()).contains("encrypted with your key; Autobus cannot read it. Restore it yourself")
                    .contains("age -d -i key.txt " + snapshot.fileName() + " | pg_restore");
            String secret = identity.privateKey();
            String keyFile = Files.readString(identity.file());
            String logs = captured.text();
            assertThat(logs).as("the flow did log").contains(snapshot.id());
            assertThat(logs).doesNotContain(secret).doesNotContain("AGE-SECRET-KEY");
            String data = harness.app.db.fetch("select a::text from addon a where id = ?", addon).formatCSV()
                    + harness.app.db.fetch("select s::text from snapshot s where addon_id = ?", addon).formatCSV()
                    + harness.app.db.fetch("select r::text from restore r where addon_id = ?", addon).formatCSV();
            assertThat(data).as("the add-on's rows hold the public key").contains(identity.recipient().text());
            assertThat(data).doesNotContain(secret).doesNotContain("AGE-SECRET-KEY").doesNotContain(keyFile.strip());
        }
    }

    private Path download(Snapshot snapshot) {
        Path file = customer.resolve(snapshot.fileName());
        String disposition = SourceDatabases.download(harness.stores.byRegion(snapshot.storageRegion())
                .downloadUrl(snapshot.storageKey(), snapshot.fileName()), file);
        assertThat(disposition).contains(snapshot.fileName());
        return file;
    }

    private HttpResponse<String> put(String token, String body) {
        return harness.app.http.send("PUT", "/api/settings/encryption", body, Map.of("Authorization", "Bearer " + token));
    }
}
