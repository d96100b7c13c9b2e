package io.autobus.dump;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.backup.Snapshot;
import io.autobus.support.BackupHarness;
import io.autobus.support.SourceDatabases;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Every .sql.gz we store restores with Oracle's mysql client as well as MariaDB's. */
class PortableMysqlDumpTest {

    @Test
    void a_stored_mariadb_dump_has_no_line_a_mysql_8_client_rejects_and_still_restores() throws Exception {
        var harness = new BackupHarness();
        UUID addon = harness.provisionedAddon();
        String source = io.autobus.backup.MysqlBackupTest.sourceDatabase();
        harness.attach(addon, "JAWSDB_MARIA", "mysql://root@127.0.0.1:3306/" + source);

        Snapshot snapshot = harness.backup(addon, "JAWSDB_MARIA_URL");

        List<String> problems;
        String firstLine;
        try (var in = new GZIPInputStream(harness.stores.byRegion(snapshot.storageRegion()).open(snapshot.storageKey()))) {
            byte[] all = in.readAllBytes();
            problems = mysqlClientProblems(new java.io.ByteArrayInputStream(all));
            firstLine = new String(all, 0, 200, StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
        }
        assertThat(problems).isEmpty();
        assertThat(firstLine).startsWith("-- MariaDB dump");
        var raw = SourceDatabases.run(List.of("mariadb-dump", "--no-defaults", "-h127.0.0.1", "-uroot", "--no-data", source));
        assertThat(mysqlClientProblems(new java.io.ByteArrayInputStream(raw.output().getBytes(StandardCharsets.UTF_8))))
                .as("mariadb-dump's own output, which the checker must catch").containsExactly(
                        "line 1: /*M!999999\\- enable the sandbox mode */ (MariaDB-only; Oracle's mysql refuses its \\- command)");
    }

    @Test
    void the_checker_passes_portable_comments_and_catches_mariadb_only_ones_and_client_commands() throws Exception {
        assertThat(mysqlClientProblems(resource("/dumps/mysql8-jawsdb.sql"))).as("mysqldump 8.0's own shape").isEmpty();
        String mariadbOnly = """
                /*M!999999\\- enable the sandbox mode */\s
                -- MariaDB dump 10.19  Distrib 10.11.19-MariaDB
                /*!40101 SET NAMES utf8mb4 */;
                /*M!100616 SET @OLD_NOTE_VERBOSITY=@@NOTE_VERBOSITY, NOTE_VERBOSITY=0 */;
                INSERT INTO `t` VALUES ('/*M! in data is data');
                \\! id
                """;

        assertThat(mysqlClientProblems(new java.io.ByteArrayInputStream(mariadbOnly.getBytes(StandardCharsets.UTF_8)))).containsExactly(
                "line 1: /*M!999999\\- enable the sandbox mode */ (MariaDB-only; Oracle's mysql refuses its \\- command)",
                "line 6: \\! id (a client command)");
    }

    @Test
    void the_sandbox_filter_drops_only_a_first_line_that_is_the_sandbox_comment() throws Exception {
        assertThat(sed("/*M!999999\\- enable the sandbox mode */ \n-- MariaDB dump\nSELECT 1;\n")).isEqualTo("-- MariaDB dump\nSELECT 1;\n");
        assertThat(sed("-- MySQL dump 10.13\n/*M!999999\\- enable the sandbox mode */ \n"))
                .as("not the first line: left for the checker to catch").isEqualTo("-- MySQL dump 10.13\n/*M!999999\\- enable the sandbox mode */ \n");
    }

    /**
     * What Oracle's mysql 8 client refuses: a line starting with a client command ({@code \\!}), and a MariaDB-only
     * executable comment {@code /*M!} holding one (the sandbox line's {@code \\-}). Other {@code /*M!NNNNNN} comments
     * are plain comments to MySQL, skipped harmlessly; {@code /*!NNNNN} is portable. INSERT lines are data and are not read.
     */
    static List<String> mysqlClientProblems(InputStream sql) throws IOException {
        var problems = new ArrayList<String>();
        var reader = new BufferedReader(new InputStreamReader(sql, StandardCharsets.UTF_8));
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.startsWith("INSERT ")) {
                continue;
            }
            if (line.startsWith("/*M!999999\\-")) {
                problems.add("line " + number + ": " + line.strip() + " (MariaDB-only; Oracle's mysql refuses its \\- command)");
            } else if (line.contains("/*M!") && line.contains("\\")) {
                problems.add("line " + number + ": " + line.strip() + " (MariaDB-only comment holding a client command)");
            } else if (line.startsWith("\\")) {
                problems.add("line " + number + ": " + line.strip() + " (a client command)");
            }
        }
        return problems;
    }

    private static String sed(String input) throws Exception {
        var process = new ProcessBuilder(MysqlDumper.WITHOUT_SANDBOX_LINE).start();
        try (var stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).isZero();
        return output;
    }

    private static InputStream resource(String name) {
        return PortableMysqlDumpTest.class.getResourceAsStream(name);
    }
}
