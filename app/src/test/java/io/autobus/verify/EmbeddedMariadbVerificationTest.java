package io.autobus.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.autobus.backup.DatabaseLocks;
import io.autobus.backup.Snapshot;
import io.autobus.config.Settings;
import io.autobus.dump.Tools;
import io.autobus.notify.Notifier;
import io.autobus.support.BackupHarness;
import io.autobus.support.OtherUser;
import io.autobus.support.SourceDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** MySQL verification with no VERIFY_MYSQL_URL: a private MariaDB the worker starts from the installed mariadbd. */
class EmbeddedMariadbVerificationTest {
    private final BackupHarness harness = new BackupHarness();
    private final Notifier notifier = new Notifier(harness.app.db, harness.app.scheduler(), false,
            harness.app.clock);

    @Test
    void with_no_verify_mysql_url_a_private_mariadb_verifies_and_the_shared_one_never_sees_a_scratch_schema_or_user() throws Exception {
        UUID addon = harness.provisionedAddon();
        harness.attach(addon, "JAWSDB_MARIA", "mysql://root@127.0.0.1:3306/" + io.autobus.backup.MysqlBackupTest.sourceDatabase());
        Snapshot snapshot = harness.backup(addon, "JAWSDB_MARIA_URL");
        Path home = Files.createTempDirectory("verify-mariadb");
        // Reachable by everyone down to verify/: the private directory alone must keep other users out.
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        var seenOnShared = ConcurrentHashMap.<String>newKeySet();
        var watching = new AtomicBoolean(true);
        Thread watcher = Thread.ofVirtual().start(() -> watchShared(snapshot.id(), seenOnShared, watching));

        try (var verification = verification(home)) {
            var verdict = verification.verifier().verify(snapshot.id()).orElseThrow();
            watching.set(false);
            watcher.join();

            assertThat(verdict.outcome()).as(verdict.detail()).isEqualTo(Verdict.Outcome.VERIFIED);
            assertThat(verdict.detail()).contains("every row count matches");
            assertThat(seenOnShared).as("scratch schemas or users on the shared MariaDB during the verification").isEmpty();
            try (var shared = SourceDatabases.mariadb("mysql")) {
                assertThat(SourceDatabases.rows(shared,
                        "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" + ScratchServer.PREFIX + snapshot.id() + "'",
                        "SELECT User FROM mysql.user WHERE User = 'abv_" + snapshot.id() + "'")).allMatch(line -> line.startsWith("-- "));
            }

            Path directory = serverDirectory(home);
            int port = portOf(directory);
            assertThat(Files.getPosixFilePermissions(directory)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
            assertThat(OtherUser.run(List.of("mariadb", "--no-defaults", "--protocol=TCP", "-h127.0.0.1", "-P" + port, "-uroot",
                    "-e", "SELECT 1"), Map.of()).output()).contains("Access denied for user 'root'@'127.0.0.1' (using password: NO)");
            assertThat(OtherUser.run(List.of("mariadb", "--no-defaults", "--protocol=TCP", "-h127.0.0.1", "-P" + port, "-uroot",
                    "-pguessed", "-e", "SELECT 1"), Map.of()).output()).contains("Access denied for user 'root'@'127.0.0.1' (using password: YES)");
            assertThat(OtherUser.run(List.of("mariadb", "--no-defaults", "-S", directory.resolve("mariadbd.sock").toString(), "-uroot",
                    "-e", "SELECT 1"), Map.of()).output()).contains("Can't connect");
            var listing = OtherUser.run(List.of("ls", directory.resolve("data").toString()), Map.of());
            assertThat(listing.exit()).isNotZero();
            assertThat(listing.output()).contains("Permission denied");
            assertThat(processesOn(directory)).as("the server runs until the worker closes").hasSize(1);
        }

        assertThat(Files.list(home.resolve("verify")).map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("mariadb-"));
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(home.toString())
                && p.info().command().orElse("").endsWith("mariadbd"))).as("stopped at close").isEmpty();
    }

    @Test
    void the_private_mariadb_stops_when_idle_and_starts_again_on_the_next_verification() throws Exception {
        Path verifyRoot = Files.createTempDirectory("verify-mariadb").resolve("verify");
        try (var scratch = new EmbeddedMysqlScratch(verifyRoot, Tools.installed(harness.toolRoot()), Duration.ofSeconds(2))) {
            String name = ScratchServer.PREFIX + "idle" + UUID.randomUUID().toString().substring(0, 8);
            var database = scratch.create(name);
            try (var connection = scratch.connect(database); var statement = connection.createStatement()) {
                statement.execute("CREATE TABLE t (id int)");
            }
            Thread.sleep(3_000);
            assertThat(scratch.running()).as("a scratch schema exists: the server stays").isTrue();
            scratch.drop(name);

            await().atMost(Duration.ofSeconds(30)).until(() -> !scratch.running());
            assertThat(Files.list(verifyRoot)).as("its data is deleted").isEmpty();

            scratch.create(name);
            assertThat(scratch.running()).isTrue();
            scratch.drop(name);
        }
    }

    @Test
    void a_private_mariadb_directory_of_a_dead_worker_is_removed_at_start() throws Exception {
        Path home = Files.createTempDirectory("verify-mariadb");
        Path leftover = Files.createDirectories(home.resolve("verify/mariadb-999999999-deadbeef/data"));
        Files.writeString(leftover.resolve("customer.ibd"), "restored rows");

        try (var verification = verification(home)) {
            verification.cleanUpLeftovers();
        }

        assertThat(home.resolve("verify/mariadb-999999999-deadbeef")).doesNotExist();
    }

    private WorkerVerification verification(Path home) {
        var settings = Settings.fromEnvironment(Map.of("AUTOBUS_HOME", home.toString(),
                "VERIFY_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"));
        assertThat(settings.verifyMysqlUrl()).isEmpty();
        var ds = new PGSimpleDataSource();
        ds.setUrl(harness.app.databaseUrl.replace("postgres://postgres@", "jdbc:postgresql://"));
        ds.setUser("postgres");
        return new WorkerVerification(settings, harness, new DatabaseLocks(ds), notifier, harness.app.scheduler());
    }

    /** Records any scratch schema or user of this snapshot that shows up on the machine's shared MariaDB. */
    private static void watchShared(String snapshotId, Set<String> seen, AtomicBoolean watching) {
        try (var shared = SourceDatabases.mariadb("mysql")) {
            while (watching.get()) {
                SourceDatabases.rows(shared,
                        "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" + ScratchServer.PREFIX + snapshotId + "'",
                        "SELECT User FROM mysql.user WHERE User = 'abv_" + snapshotId + "'")
                        .stream().filter(line -> !line.startsWith("-- ")).forEach(seen::add);
                Thread.sleep(20);
            }
        } catch (Exception e) {
            seen.add("watcher failed: " + e);
        }
    }

    private static Path serverDirectory(Path home) throws Exception {
        try (Stream<Path> dirs = Files.list(home.resolve("verify"))) {
            return dirs.filter(p -> p.getFileName().toString().startsWith("mariadb-")).findFirst().orElseThrow();
        }
    }

    private static List<ProcessHandle> processesOn(Path directory) {
        return ProcessHandle.allProcesses().filter(p -> p.info().command().orElse("").endsWith("mariadbd")
                && p.info().commandLine().orElse("").contains(directory.toString())).toList();
    }

    private static int portOf(Path directory) {
        var args = processesOn(directory).getFirst().info().arguments().orElseThrow();
        return Stream.of(args).filter(a -> a.startsWith("--port=")).map(a -> Integer.parseInt(a.substring(7))).findFirst().orElseThrow();
    }
}
