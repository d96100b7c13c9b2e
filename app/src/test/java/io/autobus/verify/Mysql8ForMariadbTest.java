package io.autobus.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.backup.DatabaseLocks;
import io.autobus.backup.Snapshot;
import io.autobus.backup.SnapshotKeys;
import io.autobus.backup.SnapshotKind;
import io.autobus.backup.SnapshotRepository;
import io.autobus.dump.DatabaseStatistics;
import io.autobus.dump.DatabaseStatistics.TableStatistics;
import io.autobus.dump.DumpOptions;
import io.autobus.dump.Tools;
import io.autobus.notify.Notifier;
import io.autobus.support.BackupHarness;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** Each rewrite rule on its own, then a dump shaped like mysqldump 8.0's verified end to end on MariaDB. */
class Mysql8ForMariadbTest {
    private static final List<TableStatistics> FIXTURE_TABLES = List.of(new TableStatistics("customers", 3, true, 16384),
            new TableStatistics("orders", 4, true, 16384), new TableStatistics("places", 1, true, 16384));

    @Test
    void mysql_8_collations_become_mariadbs_no_pad_uca_1400_ones_with_the_same_sensitivity_and_language() throws Exception {
        assertThat(rewritten(") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;\n"))
                .isEqualTo(") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_nopad_ai_ci;\n");
        assertThat(rewritten("  `a` varchar(9) COLLATE utf8mb4_0900_as_cs,\n  `b` text COLLATE utf8mb4_0900_as_ci,\n  `c` text COLLATE utf8mb4_0900_bin,\n"))
                .isEqualTo("  `a` varchar(9) COLLATE utf8mb4_uca1400_nopad_as_cs,\n  `b` text COLLATE utf8mb4_uca1400_nopad_as_ci,\n"
                        + "  `c` text COLLATE utf8mb4_nopad_bin,\n");
        assertThat(rewritten("  `d` text COLLATE utf8mb4_de_pb_0900_ai_ci,\n  `e` text COLLATE utf8mb4_es_trad_0900_as_cs,\n  `f` text COLLATE utf8mb4_ja_0900_as_cs,\n"))
                .isEqualTo("  `d` text COLLATE utf8mb4_uca1400_german2_nopad_ai_ci,\n  `e` text COLLATE utf8mb4_uca1400_spanish2_nopad_as_cs,\n"
                        + "  `f` text COLLATE utf8mb4_uca1400_nopad_as_cs,\n");
        assertThat(rewritten("/*!50003 SET collation_connection  = utf8mb4_0900_ai_ci */ ;\n"))
                .isEqualTo("/*!50003 SET collation_connection  = utf8mb4_uca1400_nopad_ai_ci */ ;\n");
    }

    @Test
    void gtid_purged_even_over_several_lines_and_sql_log_bin_statements_are_dropped() throws Exception {
        assertThat(rewritten("""
                SET @MYSQLDUMP_TEMP_LOG_BIN = @@SESSION.SQL_LOG_BIN;
                SET @@SESSION.SQL_LOG_BIN= 0;
                SET @@GLOBAL.GTID_PURGED=/*!80000 '+'*/ 'a:1-5,
                b:1-3,
                c:7';
                SELECT 1;
                SET @@GLOBAL.GTID_PURGED=/*!80000 '+'*/ 'a:1-5';
                SET @@SESSION.SQL_LOG_BIN = @MYSQLDUMP_TEMP_LOG_BIN;
                SELECT 2;
                """)).isEqualTo("SELECT 1;\nSELECT 2;\n");
    }

    @Test
    void column_histograms_are_dropped() throws Exception {
        assertThat(rewritten("UNLOCK TABLES;\n/*!80002 ANALYZE TABLE `t` UPDATE HISTOGRAM ON `c` WITH 100 BUCKETS USING DATA '{\\\"buckets\\\": []}' */;\nSELECT 1;\n"))
                .isEqualTo("UNLOCK TABLES;\nSELECT 1;\n");
    }

    @Test
    void default_encryption_srid_and_invisible_index_comments_are_removed() throws Exception {
        assertThat(rewritten("CREATE DATABASE /*!32312 IF NOT EXISTS*/ `db` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci */ /*!80016 DEFAULT ENCRYPTION='N' */;\n"))
                .isEqualTo("CREATE DATABASE /*!32312 IF NOT EXISTS*/ `db` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_uca1400_nopad_ai_ci */;\n");
        assertThat(rewritten("  `location` point NOT NULL /*!80003 SRID 4326 */,\n")).isEqualTo("  `location` point NOT NULL,\n");
        assertThat(rewritten("  KEY `k` (`name`) /*!80000 INVISIBLE */,\n")).isEqualTo("  KEY `k` (`name`),\n");
    }

    @Test
    void a_not_enforced_check_keeps_its_name_and_checks_nothing_and_table_encryption_is_dropped() throws Exception {
        assertThat(rewritten("  CONSTRAINT `orders_note` CHECK ((`note` <> _utf8mb4'x')) /*!80016 NOT ENFORCED */,\n"
                + "  CONSTRAINT `c``2` CHECK ((`a` > 0)) /*!80016 NOT ENFORCED */\n  CONSTRAINT `kept` CHECK ((`a` < 9))\n"))
                .isEqualTo("  CONSTRAINT `orders_note` CHECK (1),\n  CONSTRAINT `c``2` CHECK (1)\n  CONSTRAINT `kept` CHECK ((`a` < 9))\n");
        assertThat(rewritten(") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin ENCRYPTION='Y';\n"))
                .isEqualTo(") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;\n");
    }

    @Test
    void time_truncate_fractional_leaves_the_sql_mode_wherever_it_stands() throws Exception {
        assertThat(rewritten("/*!50003 SET sql_mode = 'STRICT_TRANS_TABLES,TIME_TRUNCATE_FRACTIONAL,NO_ZERO_DATE' */ ;\n"
                + "/*!50003 SET sql_mode = 'TIME_TRUNCATE_FRACTIONAL' */ ;\n/*!50003 SET sql_mode = 'NO_ZERO_DATE,TIME_TRUNCATE_FRACTIONAL' */ ;\n"))
                .isEqualTo("/*!50003 SET sql_mode = 'STRICT_TRANS_TABLES,NO_ZERO_DATE' */ ;\n/*!50003 SET sql_mode = '' */ ;\n"
                        + "/*!50003 SET sql_mode = 'NO_ZERO_DATE' */ ;\n");
    }

    @Test
    void data_is_never_rewritten_and_a_long_insert_streams_through_unbuffered() throws Exception {
        String longInsert = "INSERT INTO `t` VALUES ('" + "utf8mb4_0900_ai_ci ".repeat(Mysql8ForMariadb.LINE_LIMIT / 10) + "');\n";
        String input = "SET @@SESSION.SQL_LOG_BIN= 0;\n" + longInsert + "INSERT INTO `t` VALUES ('SET @@SESSION.SQL_LOG_BIN= 0;');\n"
                + "CREATE TABLE `u` (`a` text) COLLATE=utf8mb4_0900_ai_ci";

        assertThat(rewritten(input)).isEqualTo(longInsert + "INSERT INTO `t` VALUES ('SET @@SESSION.SQL_LOG_BIN= 0;');\n"
                + "CREATE TABLE `u` (`a` text) COLLATE=utf8mb4_uca1400_nopad_ai_ci");
    }

    @Test
    void a_mysql_8_dump_verifies_on_mariadb_through_the_rewrite_and_copies_with_a_defect_fail_naming_it() throws Exception {
        var harness = new BackupHarness();
        String dump = fixture();
        Snapshot good = stored(harness, dump);
        Snapshot brokenTable = stored(harness, dump.replace("`amount` decimal(10,2) NOT NULL,", "`amount` decimal(10,2 NOT NULL,"));
        Snapshot missingTable = stored(harness, dump.replace("from `orders` `o` group by", "from `order_lines` `o` group by"));

        Verdict verified;
        Verdict syntaxError;
        Verdict missing;
        // The verifier the service starts by itself: a private MariaDB, with time zone tables (events set 'UTC').
        try (var mariadb = new EmbeddedMysqlScratch(harness.app.settings.home().resolve("verify"), Tools.installed(harness.toolRoot()),
                EmbeddedMysqlScratch.IDLE)) {
            verified = verifier(harness, mariadb).verify(good.id()).orElseThrow();
            syntaxError = verifier(harness, mariadb).verify(brokenTable.id()).orElseThrow();
            missing = verifier(harness, mariadb).verify(missingTable.id()).orElseThrow();
        }

        assertThat(verified.outcome()).as(verified.detail()).isEqualTo(Verdict.Outcome.VERIFIED);
        assertThat(verified.detail()).isEqualTo("restored 3 tables; every row count matches the dump");
        assertThat(syntaxError.outcome()).isEqualTo(Verdict.Outcome.FAILED);
        assertThat(syntaxError.detail()).contains("the restore failed").contains("You have an error in your SQL syntax")
                .contains("NOT NULL");
        assertThat(missing.outcome()).isEqualTo(Verdict.Outcome.FAILED);
        assertThat(missing.detail()).contains("the restore failed").contains("order_lines' doesn't exist");
    }

    @Test
    void the_unrewritten_mysql_8_dump_is_refused_by_mariadb() throws Exception {
        var client = new ProcessBuilder("mariadb", "--no-defaults", "-h127.0.0.1", "-uroot", "-e",
                "CREATE DATABASE IF NOT EXISTS autobus_mysql8_raw").redirectErrorStream(true).start();
        assertThat(client.waitFor()).isZero();
        var restore = new ProcessBuilder("mariadb", "--no-defaults", "-h127.0.0.1", "-uroot", "autobus_mysql8_raw")
                .redirectErrorStream(true).start();
        try (var stdin = restore.getOutputStream()) {
            stdin.write(fixture().getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
            // the client may stop reading at the error
        }
        String output = new String(restore.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        new ProcessBuilder("mariadb", "--no-defaults", "-h127.0.0.1", "-uroot", "-e", "DROP DATABASE autobus_mysql8_raw").start().waitFor();

        assertThat(restore.waitFor()).as("without the rewrite this test's fixture would prove nothing").isNotZero();
        assertThat(output).contains("GTID_PURGED");
    }

    private static String rewritten(String input) throws IOException {
        try (InputStream in = new Mysql8ForMariadb(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)))) {
            var out = new ByteArrayOutputStream();
            byte[] small = new byte[7]; // small reads: lines cross every boundary
            int n;
            while ((n = in.read(small)) >= 0) {
                out.write(small, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static String fixture() throws IOException {
        try (var in = Mysql8ForMariadbTest.class.getResourceAsStream("/dumps/mysql8-jawsdb.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The dump stored gzipped as a completed snapshot of a MySQL 8.0.36 server, with the statistics taken at dump time. */
    private static Snapshot stored(BackupHarness harness, String dump) throws Exception {
        UUID addon = harness.provisionedAddon();
        harness.attachedEarlier(addon, "JAWSDB", "mysql://root@127.0.0.1:3306/never_dumped");
        String id = harness.snapshots.createOrFind(new SnapshotRepository.NewSnapshot(SnapshotKeys.newId(), addon, "JAWSDB_URL", "mysql",
                SnapshotKind.MANUAL, "mysqldump 8.0 fixture", null, UUID.randomUUID(), harness.app.clock.instant()));
        var gzipped = new ByteArrayOutputStream();
        try (var gzip = new GZIPOutputStream(gzipped)) {
            gzip.write(dump.getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = gzipped.toByteArray();
        String key = SnapshotKeys.objectKey(addon, "JAWSDB_URL", id, "mysql");
        harness.eu.put(key, new ByteArrayInputStream(bytes));
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        harness.snapshots.complete(id, new SnapshotRepository.Completion("8.0.36", bytes.length, sha256, harness.eu.region(), key,
                new DatabaseStatistics(3 * 16384, FIXTURE_TABLES), DumpOptions.fromJson("{}").toJson()),
                harness.app.clock.instant(), harness.app.clock.instant());
        return harness.snapshots.find(id).orElseThrow();
    }

    private static SnapshotVerifier verifier(BackupHarness harness, ScratchServer mariadb) {
        var ds = new PGSimpleDataSource();
        ds.setUrl(harness.app.databaseUrl.replace("postgres://postgres@", "jdbc:postgresql://"));
        ds.setUser("postgres");
        var notifier = new Notifier(harness.app.db, harness.app.scheduler(), false, harness.app.clock);
        return new SnapshotVerifier(harness.snapshots, harness.stores,
                new PostgresScratch(Optional.of("postgres://postgres@127.0.0.1:5432/postgres"), harness.app.settings.home().resolve("verify")),
                Optional.of(mariadb), Tools.installed(harness.toolRoot()),
                new DatabaseLocks(ds), notifier, harness.app.settings.jobLimits(), harness.app.clock);
    }
}
