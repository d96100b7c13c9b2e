package io.autobus.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.support.OtherUser;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL servers the service starts itself let in only whoever knows the password that
 * only the service knows: another local user gets an authentication error, cannot touch the
 * binaries, and the server sees none of the service's environment.
 */
class EmbeddedPostgresServerTest {
    private static final String CANARY = System.getenv("AUTOBUS_CANARY_SECRET");

    @TempDir
    Path home;

    @Test
    void another_local_user_cannot_log_in_nor_change_the_binaries_and_the_server_sees_none_of_our_environment() throws Exception {
        Path binaries = PostgresBinaries.unpacked(home.resolve("pg"));
        try (var server = EmbeddedPostgresServer.start(binaries, home.resolve("data"), "s3cret-" + System.nanoTime(), Map.of())) {
            var asNobody = OtherUser.run(List.of("psql", "-h", "127.0.0.1", "-p", Integer.toString(server.port()), "-U", "postgres",
                    "-w", "-d", "postgres", "-c", "SELECT 1"), Map.of());
            var wrongPassword = OtherUser.run(List.of("psql", "-h", "127.0.0.1", "-p", Integer.toString(server.port()), "-U",
                    "postgres", "-d", "postgres", "-c", "SELECT 1"), Map.of("PGPASSWORD", "guess"));
            var plant = OtherUser.run(List.of("cp", "/bin/true", binaries.resolve("bin/postgres").toString()), Map.of());

            assertThat(asNobody.exit()).isNotZero();
            assertThat(asNobody.output()).contains("password");
            assertThat(wrongPassword.exit()).isNotZero();
            assertThat(wrongPassword.output()).contains("password authentication failed");
            assertThat(plant.exit()).isNotZero();
            assertThat(plant.output()).contains("Permission denied");
            try (var connection = DriverManager.getConnection(server.jdbcUrl("postgres"), "postgres", server.password())) {
                assertThat(connection.isValid(5)).as("the service itself gets in").isTrue();
            }
            assertThat(Files.list(Path.of("/tmp")).map(p -> p.getFileName().toString()))
                    .as("no Unix socket").doesNotContain(".s.PGSQL." + server.port());
            long postmaster = Long.parseLong(Files.readAllLines(home.resolve("data/postmaster.pid")).getFirst().trim());
            String environment = new String(Files.readAllBytes(Path.of("/proc/" + postmaster + "/environ")), StandardCharsets.UTF_8);
            assertThat(CANARY).as("surefire sets AUTOBUS_CANARY_SECRET").isNotBlank();
            assertThat(environment).doesNotContain(CANARY).doesNotContain("JAVA_HOME");
        }
    }

    @Test
    void a_cluster_made_without_passwords_by_an_earlier_version_is_closed_when_the_service_starts_it() throws Exception {
        Path data = home.resolve("postgres");
        try (var earlier = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).start()) {
            try (var connection = earlier.getPostgresDatabase().getConnection(); var statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kept (v int)"); // trust: anyone could log in then
            }
        }

        try (var server = EmbeddedPostgresServer.start(PostgresBinaries.unpacked(home.resolve("pg")), data, "n3w-" + System.nanoTime(),
                Map.of())) {
            var asNobody = OtherUser.run(List.of("psql", "-h", "127.0.0.1", "-p", Integer.toString(server.port()), "-U", "postgres",
                    "-w", "-d", "postgres", "-c", "SELECT 1"), Map.of());

            assertThat(asNobody.exit()).isNotZero();
            assertThat(asNobody.output()).contains("password");
            try (var connection = DriverManager.getConnection(server.jdbcUrl("postgres"), "postgres", server.password());
                 var rows = connection.createStatement().executeQuery("SELECT count(*) FROM kept")) {
                assertThat(rows.next()).as("the data is still there").isTrue();
            }
        }
    }
}
