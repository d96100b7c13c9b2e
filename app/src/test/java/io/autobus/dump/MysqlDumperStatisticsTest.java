package io.autobus.dump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.autobus.dump.DatabaseUrl;
import io.autobus.dump.DatabaseStatistics.TableStatistics;
import io.autobus.support.SourceDatabases;
import io.autobus.support.TestApp;
import java.io.OutputStream;
import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A MySQL snapshot's row counts are exact for every table whose rows it holds, however large,
 * counted in the dump as it streams; tables whose rows it leaves out keep the server's estimate.
 */
class MysqlDumperStatisticsTest {
    private final Dumpers dumpers = Dumpers.of(Tools.installed(TestApp.shared().settings.home().resolve("tmp")), 2, 1);

    @Test
    void a_table_of_1_2_million_rows_is_counted_exactly_and_left_out_rows_stay_estimates() throws Exception {
        String database = SourceDatabases.createMariadb("counted");
        try (var connection = SourceDatabases.mariadb(database); var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE big (id INT PRIMARY KEY, body VARCHAR(40))");
            // Every 1000th row holds what looks like the end of a tuple and the start of another.
            statement.execute("INSERT INTO big SELECT seq, IF(seq % 1000 = 0, CONCAT('it''s ),(', seq, '\\\\'), MD5(seq)) FROM seq_1_to_1200000");
            statement.execute("CREATE TABLE empty_one (v INT)");
            statement.execute("CREATE TABLE cache (v INT)");
            statement.execute("INSERT INTO cache VALUES (1), (2)");
            statement.execute("CREATE TABLE logs (v INT)");
            statement.execute("INSERT INTO logs VALUES (1)");
        }
        var url = new DatabaseUrl(DatabaseUrl.Engine.MYSQL, "root", "", "127.0.0.1", 3306, database, Map.of());
        var options = DumpOptions.fromJson("{\"exclude_tables\": [\"logs\"], \"exclude_table_data\": [\"cache\"]}");

        DatabaseStatistics statistics;
        DumpProgress.View progress;
        try (var dump = dumpers.mysql().start(url, InetAddress.getLoopbackAddress(), options)) {
            dump.output().transferTo(OutputStream.nullOutputStream());
            statistics = dump.statistics();
            progress = dump.progress().view();
        }

        assertThat(statistics.tables()).extracting(TableStatistics::name, TableStatistics::rows, TableStatistics::rowsExact)
                .contains(tuple("big", 1_200_000L, true), tuple("empty_one", 0L, true));
        assertThat(statistics.tables()).filteredOn(table -> !table.rowsExact()).extracting(TableStatistics::name)
                .as("rows left out: the server's estimate").containsExactlyInAnyOrder("cache", "logs");
        assertThat(progress.bytes()).as("the SQL passed, uncompressed").isGreaterThan(50_000_000L);
        assertThat(progress.expectedBytes()).as("big's and empty_one's data, from the server").isNotNull().isPositive();
        assertThat(progress.table()).as("none once the dump ended").isNull();
    }
}
