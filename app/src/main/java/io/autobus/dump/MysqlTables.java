package io.autobus.dump;

import io.autobus.dump.DatabaseStatistics.TableStatistics;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A MySQL database's base tables as information_schema tells, beside the dump: the server's
 * estimate of their rows and their bytes. The exact rows come from the dump's own stream.
 */
record MysqlTables(List<Table> tables) {
    /** mysqldump writes no rows of these engines' tables: their rows live in other tables, or on another server. */
    private static final Set<String> ENGINES_WITHOUT_DATA = Set.of("MRG_MYISAM", "FEDERATED");

    record Table(String name, String engine, long estimatedRows, long dataBytes, long indexBytes) {
    }

    static MysqlTables read(Connection connection, String database) {
        try (var statement = connection.prepareStatement("""
                SELECT TABLE_NAME, COALESCE(ENGINE, ''), COALESCE(TABLE_ROWS, 0), COALESCE(DATA_LENGTH, 0), COALESCE(INDEX_LENGTH, 0)
                FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME""")) {
            statement.setString(1, database);
            var tables = new ArrayList<Table>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    tables.add(new Table(rows.getString(1), rows.getString(2), rows.getLong(3), rows.getLong(4), rows.getLong(5)));
                }
            }
            return new MysqlTables(tables);
        } catch (SQLException e) {
            throw new DumpException("could not take the database's statistics: " + e.getMessage(), e);
        }
    }

    /** Each table's data bytes on the server: about what the dump will write of its rows. */
    Map<String, Long> dataSizes() {
        var sizes = new LinkedHashMap<String, Long>();
        tables.forEach(table -> sizes.put(table.name(), table.dataBytes()));
        return sizes;
    }

    /** The tables whose rows the dump writes: all but those {@code withoutData} names and the engines it skips. */
    Set<String> withDataDumped(Collection<String> withoutData) {
        return tables.stream()
                .filter(table -> !withoutData.contains(table.name()))
                .filter(table -> !ENGINES_WITHOUT_DATA.contains(table.engine().toUpperCase(Locale.ROOT)))
                .map(Table::name).collect(Collectors.toSet());
    }

    /** Each table's row estimate on the server: how far into a table the dump is, counted in rows. */
    Map<String, Long> rowEstimates() {
        var estimates = new LinkedHashMap<String, Long>();
        tables.forEach(table -> estimates.put(table.name(), table.estimatedRows()));
        return estimates;
    }

    /**
     * Sizes (data and indexes) and the server's row estimates, none exact: the rows of every table
     * whose data the dump holds replace them once counted in the stream ({@link RunningDump#statistics()}).
     */
    DatabaseStatistics estimates() {
        var statistics = tables.stream().map(table -> new TableStatistics(table.name(), table.estimatedRows(), false,
                table.dataBytes() + table.indexBytes())).toList();
        return new DatabaseStatistics(statistics.stream().mapToLong(TableStatistics::sizeBytes).sum(), statistics);
    }
}
