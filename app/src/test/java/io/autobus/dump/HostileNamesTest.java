package io.autobus.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.autobus.dump.DatabaseUrl;
import io.autobus.support.SourceDatabases;
import io.autobus.support.TestApp;
import io.autobus.support.TestDatabase;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Credentials and names from a customer's URL are data, never syntax, even where the URL parser
 * would let them through: the dumpers are fed hostile values directly. A password cannot add
 * options to the MySQL defaults file, and a database name is that database, not an option of
 * mariadb-dump nor a connection string for pg_dump.
 */
class HostileNamesTest {
    private final Path toolRoot = TestApp.shared().settings.home().resolve("tmp");
    private final Dumpers dumpers = Dumpers.of(Tools.installed(toolRoot), 2, 1);
    private final InetAddress loopback = InetAddress.getLoopbackAddress();

    @Test
    void a_mysql_password_with_line_breaks_cannot_add_options_to_the_defaults_file() throws Exception {
        Path target = Path.of("/tmp/autobus-inject-" + UUID.randomUUID());
        String database = SourceDatabases.createMariadb("victim");
        String user = "nl_" + UUID.randomUUID().toString().substring(0, 8);
        String password = "x\n[mysqldump]\nresult-file=" + target + "\n#";
        try (var connection = SourceDatabases.mariadb(""); var statement = connection.prepareStatement(
                "CREATE USER '" + user + "'@'%' IDENTIFIED BY ?")) {
            statement.setString(1, password);
            statement.execute();
            connection.createStatement().execute("GRANT ALL ON `" + database + "`.* TO '" + user + "'@'%'");
        }
        try {
            var url = new DatabaseUrl(DatabaseUrl.Engine.MYSQL, user, password, "127.0.0.1", 3306, database, Map.of());

            var error = catchThrowable(() -> dumpers.mysql().start(url, loopback, DumpOptions.DEFAULT).close());

            assertThat(error).isInstanceOf(DumpException.class).hasMessageContaining("control character")
                    .hasMessageNotContaining("result-file");
            assertThat(target).doesNotExist();
            assertThat(MysqlDumper.defaultsFile(new DatabaseUrl(DatabaseUrl.Engine.MYSQL, user, "quote\" and \\ backslash", "h", 1,
                    "d", Map.of()))).isEqualTo("[client]\npassword=\"quote\\\" and \\\\ backslash\"\n");
        } finally {
            try (var connection = SourceDatabases.mariadb("")) {
                connection.createStatement().execute("DROP USER '" + user + "'@'%'");
            }
        }
    }

    @Test
    void a_mysql_database_named_like_an_option_is_dumped_as_that_database() throws Exception {
        // Read as an option, the dump would go to that file (in the tool's directory) and stdout would stay empty.
        String database = "--result-file=inject-" + UUID.randomUUID().toString().substring(0, 8);
        try (var connection = SourceDatabases.mariadb(""); var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE `" + database + "`");
            statement.execute("CREATE TABLE `" + database + "`.literal_marker (v INT)");
        }
        try {
            var url = new DatabaseUrl(DatabaseUrl.Engine.MYSQL, "root", "", "127.0.0.1", 3306, database, Map.of());

            String sql;
            try (var dump = dumpers.mysql().start(url, loopback, DumpOptions.DEFAULT)) {
                sql = new String(new GZIPInputStream(dump.output()).readAllBytes(), StandardCharsets.UTF_8);
            }

            assertThat(sql).as("no option was read from the name").contains("CREATE TABLE `literal_marker`");
            assertThat(catchThrowable(() -> DatabaseUrl.parse("mysql://root@127.0.0.1/--result-file%3D%2Ftmp%2Fx")))
                    .as("and a URL naming it is refused before that").hasMessageContaining("must not start with '-'");
        } finally {
            try (var connection = SourceDatabases.mariadb(""); var statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS `" + database + "`");
            }
        }
    }

    @Test
    void a_postgres_database_named_like_a_connection_string_is_dumped_as_that_database() throws Exception {
        String other = TestDatabase.create("other");
        String otherName = other.substring(other.lastIndexOf('/') + 1);
        try (var connection = SourceDatabases.postgres(other); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE other_marker (v int)");
        }
        // Read as a connection string, this name would be the other database.
        String literal = "dbname=" + otherName + " application_name=x";
        try (var connection = SourceDatabases.postgres("postgres://postgres@127.0.0.1:5432/postgres");
             var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE \"" + literal + "\"");
        }
        try {
            try (var connection = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/"
                    + java.net.URLEncoder.encode(literal, StandardCharsets.UTF_8), "postgres", "");
                 var statement = connection.createStatement()) {
                statement.execute("CREATE TABLE literal_marker (v int)");
            }
            var url = DatabaseUrl.parse("postgres://postgres@127.0.0.1:5432/"
                    + java.net.URLEncoder.encode(literal, StandardCharsets.UTF_8).replace("+", "%20"));
            assertThat(url.database()).isEqualTo(literal);
            Path file = Files.createTempFile(toolRoot.getParent(), "literal", ".dump");
            try (var dump = dumpers.postgres().start(url, loopback, DumpOptions.DEFAULT); var out = Files.newOutputStream(file)) {
                dump.output().transferTo(out);
            }

            String list = SourceDatabases.run(List.of("pg_restore", "--list", file.toString())).output();
            assertThat(list).contains("literal_marker").doesNotContain("other_marker");
        } finally {
            try (var connection = SourceDatabases.postgres("postgres://postgres@127.0.0.1:5432/postgres");
                 var statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS \"" + literal + "\" WITH (FORCE)");
            }
        }
    }
}
