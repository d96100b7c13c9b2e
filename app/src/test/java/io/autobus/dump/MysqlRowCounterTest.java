package io.autobus.dump;

import static org.assertj.core.api.Assertions.assertThat;

import io.autobus.support.SourceDatabases;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rows counted in mysqldump's SQL as it streams, whatever the values hold and wherever the
 * stream is cut: each fixture is fed in pieces of 1, 2, 3, 7, 4096 bytes and whole.
 */
class MysqlRowCounterTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 4096, Integer.MAX_VALUE})
    void strings_holding_quotes_parentheses_semicolons_backslashes_and_line_breaks_are_one_value_each(int piece) {
        String dump = dumpOf("notes", """
                INSERT INTO `notes` VALUES
                (1,'a\\'),(\\'b',0x00FF,NULL),
                (2,'it''s ),( two; ''(''',NULL,'x'),
                (3,'back\\\\slash \\\\',0x,'\\\\'),
                (4,'line
                break;
                INSERT INTO `notes` VALUES (9,9);
                ',NULL,''),
                (5,'\\0\\n\\r\\Z\\t',-1.5e+30,'))');
                """);

        assertThat(counted(dump, piece)).isEqualTo(Map.of("notes", 5L));
    }

    @ParameterizedTest
    @ValueSource(ints = {13, 29, Integer.MAX_VALUE})
    void an_escaped_quote_or_backslash_at_any_offset_of_a_long_string_is_seen(int piece) {
        var inserts = new StringBuilder("INSERT INTO `t` VALUES (0,'')");
        for (int at = 0; at < 40; at++) {
            // 'xx\'),(yy' holds a quote; 'xx\\' ends after a backslash
            inserts.append(",(1,'").append("x".repeat(at)).append("\\'),(").append("y".repeat(40 - at)).append("')");
            inserts.append(",(2,'").append("x".repeat(at)).append("\\\\')");
        }

        assertThat(counted(dumpOf("t", inserts + ";\n"), piece)).isEqualTo(Map.of("t", 81L));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 4096, Integer.MAX_VALUE})
    void backquoted_names_with_doubled_backquotes_empty_tables_and_split_inserts_are_each_counted(int piece) {
        String dump = dumpOf("we``ird (name)", "INSERT INTO `we``ird (name)` VALUES (1,'a'),(2,'b');\n"
                + "INSERT INTO `we``ird (name)` VALUES (3,'c');\n")
                + dumpOf("empty", "")
                + dumpOf("last", "INSERT INTO `last` VALUES (1);\n");

        assertThat(counted(dump, piece)).isEqualTo(Map.of("we`ird (name)", 3L, "empty", 0L, "last", 1L));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, Integer.MAX_VALUE})
    void inserts_in_trigger_bodies_and_table_comments_are_not_rows(int piece) {
        String dump = """
                CREATE TABLE `audit` (
                  `id` int(11) DEFAULT NULL
                ) ENGINE=InnoDB COMMENT='LOCK TABLES `x` WRITE;';
                """ + dumpOf("audit", "INSERT INTO `audit` VALUES (1);\n") + """
                DELIMITER ;;
                /*!50003 CREATE*/ /*!50017 DEFINER=`root`@`%`*/ /*!50003 TRIGGER tr AFTER INSERT ON t FOR EACH ROW BEGIN
                INSERT INTO `audit` VALUES (NEW.v);
                INSERT INTO `audit` VALUES (NEW.v),(NEW.v);
                END */;;
                DELIMITER ;
                """;

        assertThat(counted(dump, piece)).isEqualTo(Map.of("audit", 1L));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, Integer.MAX_VALUE})
    void a_column_list_before_values_as_mysql_8_writes_for_generated_columns_is_not_a_row(int piece) {
        String dump = dumpOf("t", "INSERT INTO `t` (`id`, `VALUES (x)`, `b``c`) VALUES (1,'a',2),(2,'b',3);\n");

        assertThat(counted(dump, piece)).isEqualTo(Map.of("t", 2L));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 13, Integer.MAX_VALUE})
    void a_dump_written_by_mysql_8_s_mysqldump_is_counted(int piece) throws Exception {
        byte[] dump;
        try (var in = getClass().getResourceAsStream("/dumps/mysql8-jawsdb.sql")) {
            dump = in.readAllBytes();
        }

        assertThat(counted(dump, piece)).isEqualTo(Map.of("customers", 3L, "orders", 4L, "places", 1L));
    }

    @Test
    void a_real_mariadb_dump_split_into_many_inserts_by_a_small_net_buffer_length_counts_every_row() throws Exception {
        String database = SourceDatabases.createMariadb("split");
        try (var connection = SourceDatabases.mariadb(database); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE `odd``name;(` (id INT PRIMARY KEY, body TEXT, data BLOB, note VARCHAR(20))");
            statement.execute("""
                    INSERT INTO `odd``name;(` SELECT seq, CONCAT('row ', seq, ' it''s ),( \\\\ ; \n', REPEAT('x', seq % 300)),
                      IF(seq % 3 = 0, NULL, UNHEX(REPEAT('27', seq % 50))), IF(seq % 2 = 0, NULL, '') FROM seq_1_to_5000""");
            statement.execute("CREATE TABLE empty_one (v INT)");
        }
        var run = SourceDatabases.run(List.of("mariadb-dump", "-uroot", "-h127.0.0.1", "--hex-blob", "--net-buffer-length=4096",
                "--skip-triggers", database));
        assertThat(run.exit()).as(run.output()).isZero();
        byte[] dump = run.output().getBytes(StandardCharsets.UTF_8);
        assertThat(run.output().split("INSERT INTO `odd``name;\\(`", -1)).as("several INSERT statements").hasSizeGreaterThan(50);

        for (int piece : new int[] {1, 1000, 65536}) {
            assertThat(counted(dump, piece)).as("in pieces of %d", piece).isEqualTo(Map.of("odd`name;(", 5000L, "empty_one", 0L));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4096})
    void progress_tells_the_table_being_dumped_and_every_byte_passed(int piece) {
        String first = dumpOf("first", "INSERT INTO `first` VALUES (1);\n");
        byte[] bytes = (first + "LOCK TABLES `second` WRITE;\nINSERT INTO `second` VALUES (1),").getBytes(StandardCharsets.UTF_8);
        var progress = new DumpProgress();
        var counter = new MysqlRowCounter(progress);

        feed(counter, bytes, piece);

        assertThat(progress.view().table()).isEqualTo("second");
        assertThat(progress.view().bytes()).isEqualTo(bytes.length);
        counter.end();
        assertThat(progress.view().table()).isNull();
        assertThat(progress.rowCounts()).as("a statement cut short is not counted").isEqualTo(Map.of("first", 1L, "second", 0L));
    }

    /** A table's data section as mysqldump and mariadb-dump write it, around {@code inserts}. */
    private static String dumpOf(String quotedName, String inserts) {
        return """

                --
                -- Dumping data for table `%1$s`
                --

                LOCK TABLES `%1$s` WRITE;
                /*!40000 ALTER TABLE `%1$s` DISABLE KEYS */;
                %2$s/*!40000 ALTER TABLE `%1$s` ENABLE KEYS */;
                UNLOCK TABLES;
                """.formatted(quotedName, inserts);
    }

    private static Map<String, Long> counted(String dump, int piece) {
        return counted(dump.getBytes(StandardCharsets.UTF_8), piece);
    }

    private static Map<String, Long> counted(byte[] dump, int piece) {
        var progress = new DumpProgress();
        var counter = new MysqlRowCounter(progress);
        feed(counter, dump, piece);
        counter.end();
        return progress.rowCounts();
    }

    /** In pieces of {@code piece} bytes, each at an offset inside a larger buffer, as the pump passes them. */
    private static void feed(MysqlRowCounter counter, byte[] bytes, int piece) {
        for (int from = 0; from < bytes.length; from += piece) {
            int length = Math.min(piece, bytes.length - from);
            byte[] buffer = new byte[length + 2];
            System.arraycopy(bytes, from, buffer, 1, length);
            counter.pass(buffer, 1, length);
        }
    }
}
